using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Simulation;

[TestClass]
public class SpatialSimulatorTests
{
    private static readonly Lazy<SimulatedSection> Default = new(() => SpatialSimulator.Simulate());

    [TestMethod]
    public void DefaultSectionHasTheTripletLayout()
    {
        var sim = Default.Value;
        var s = sim.Section;
        Assert.AreEqual(1296, s.SpotCount);
        CollectionAssert.AreEqual(new[] { "RNA", "ADT", "ATAC" }, s.Modalities.Select(m => m.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 1000, 100, 1000 }, s.Modalities.Select(m => m.FeatureCount).ToArray());
        Assert.AreEqual("gene_0", s.GetModality("RNA").FeatureNames[0]);
        Assert.AreEqual("protein_99", s.GetModality("ADT").FeatureNames[99]);
        Assert.AreEqual("peak_999", s.GetModality("ATAC").FeatureNames[999]);
        // ggblocks domain sizes on the 36×36 grid (background, cross, hollow square, staircase, T).
        CollectionAssert.AreEqual(new[] { 432, 180, 288, 216, 180 },
            Enumerable.Range(0, 5).Select(d => sim.Domains.Count(x => x == d)).ToArray());
        CollectionAssert.AreEqual(sim.Domains.Select(d => d.ToString()).ToArray(), s.Truth);
        Assert.AreEqual("0", s.SpotIds[0]);
        Assert.AreEqual(-2, s.X[0], 1e-12);
        Assert.AreEqual(2, s.Y[0], 1e-12);
        Assert.AreEqual(2, s.X[1295], 1e-12);
        Assert.AreEqual(-2, s.Y[1295], 1e-12);
    }

    [TestMethod]
    public void StoredValuesAreCountsPlusSmallRoundedNoiseOnNonZerosOnly()
    {
        var sim = Default.Value;
        foreach (var (name, scale) in new[] { ("RNA", 1.0), ("ADT", 10.0), ("ATAC", 1.0) })
        {
            var counts = sim.Counts[name];
            var values = sim.Section.GetModality(name).Sparse!;
            CollectionAssert.AreEqual(counts.RowPtr, values.RowPtr, name);
            CollectionAssert.AreEqual(counts.ColIndices, values.ColIndices, name);
            var added = new int[7];
            for (long p = 0; p < counts.NonZeroCount; p++)
            {
                Assert.IsGreaterThan(0.0, counts.Values[p], $"{name}: the count layer stores only non-zeros");
                double noise = values.Values[p] - scale * counts.Values[p];
                Assert.AreEqual(Math.Round(noise), noise, $"{name}: noise is an integer");
                // round(N(2, 0.5)) lies in 0..4 unless the normal is beyond 5 sd.
                Assert.IsTrue(noise >= -1 && noise <= 5, $"{name}: rounded N(2, 0.5) noise {noise} is beyond 6 sd");
                added[(int)noise + 1]++;
            }
            // round(N(2, 0.5)) = 2 with probability Φ(1) − Φ(−1) = 0.683.
            Assert.AreEqual(0.683, added[3] / (double)counts.NonZeroCount, 0.01, name);
            Assert.IsLessThan(1e-5, (added[0] + added[6]) / (double)counts.NonZeroCount, $"{name}: noise beyond 5 sd is too frequent");
        }
        // Zero inflation: half of the entries whose NB mean is large are zeroed; proteins are not zero-inflated.
        Assert.IsLessThan(0.3, Density(sim.Counts["RNA"]));
        Assert.IsGreaterThan(0.55, Density(sim.Counts["ADT"]));
    }

    private static double Density(CsrMatrix m) => m.NonZeroCount / ((double)m.Rows * m.Cols);

    [TestMethod]
    public void SameOptionsGiveIdenticalSectionsAndSectionSeedsChangeOnlyTheDraws()
    {
        var a = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Seed = 5, Side = 18 });
        var b = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Seed = 5, Side = 18 });
        var c = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Seed = 5, Side = 18, SectionSeed = 6 });
        foreach (var m in a.Section.Modalities)
        {
            AssertSameMatrix(m.Sparse!, b.Section.GetModality(m.Name).Sparse!, m.Name);
            Assert.AreNotEqual(m.Sparse!.NonZeroCount, c.Section.GetModality(m.Name).Sparse!.NonZeroCount, m.Name);
            CollectionAssert.AreEqual(a.Loadings[m.Name].SpatialFactor, c.Loadings[m.Name].SpatialFactor, "same tissue, same loadings");
        }
        var sections = SpatialSimulator.SimulateSections(new SpatialSimulatorOptions { Seed = 5, Side = 18 }, 2);
        AssertSameMatrix(a.Counts["RNA"], sections[0].Counts["RNA"], "section 0 = SectionSeed 5");
        AssertSameMatrix(c.Counts["RNA"], sections[1].Counts["RNA"], "section 1 = SectionSeed 6");
    }

    [TestMethod]
    public void ShuffledSpotsAndFeaturesHoldExactlyThePermutedValues()
    {
        var plain = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Side = 12 });
        var shuffled = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Side = 12, ShuffleSpots = true, ShuffleFeatures = true });
        var s = shuffled.Section;
        CollectionAssert.AreNotEqual(plain.Section.SpotIds, s.SpotIds);
        CollectionAssert.AreEquivalent(plain.Section.SpotIds, s.SpotIds);
        var plainRow = plain.Section.SpotIds.Select((id, i) => (id, i)).ToDictionary(t => t.id, t => t.i);
        foreach (var m in s.Modalities)
        {
            var pm = plain.Section.GetModality(m.Name);
            CollectionAssert.AreNotEqual(pm.FeatureNames, m.FeatureNames, m.Name);
            var plainCol = pm.FeatureNames.Select((f, j) => (f, j)).ToDictionary(t => t.f, t => t.j);
            var pd = pm.ToDense();
            var sd = m.ToDense();
            for (int i = 0; i < s.SpotCount; i++)
            {
                int pi = plainRow[s.SpotIds[i]];
                Assert.AreEqual(plain.Section.X[pi], s.X[i]);
                Assert.AreEqual(plain.Section.Y[pi], s.Y[i]);
                Assert.AreEqual(plain.Section.Truth![pi], s.Truth![i]);
                Assert.AreEqual(plain.Domains[pi], shuffled.Domains[i]);
                for (int j = 0; j < m.FeatureCount; j++)
                    Assert.AreEqual(pd[pi, plainCol[m.FeatureNames[j]]], sd[i, j]);
            }
        }
    }

    [TestMethod]
    [DataRow(6)] [DataRow(12)] [DataRow(40)]
    public void OtherGridSidesKeepTheFivePatternDomains(int side)
    {
        var sim = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Side = side });
        Assert.AreEqual(side * side, sim.Section.SpotCount);
        var sizes = Enumerable.Range(0, 5).Select(d => sim.Domains.Count(x => x == d)).ToArray();
        // Template cells per domain: background 16, cross 5, square 8, staircase 6, T 5 (of 36): sizes follow ± one band of cells.
        var cells = new[] { 12, 5, 8, 6, 5 };
        for (int d = 0; d < 5; d++)
            Assert.AreEqual(cells[d] * side * side / 36.0, sizes[d], 2.0 * side * cells[d] / 6.0 + 1, $"domain {d}");
        if (side % 6 == 0)
            for (int d = 0; d < 5; d++) Assert.AreEqual(cells[d] * side * side / 36, sizes[d], $"domain {d} (exact blow-up)");
    }

    [TestMethod]
    public void NoZeroInflationAndNoNoiseGiveScaledNegativeBinomialCounts()
    {
        var o = new SpatialSimulatorOptions
        {
            Side = 18,
            Modalities = new() { new ModalitySimulationOptions { Name = "M", FeatureCount = 40, ZeroInflation = 0, NoiseSd = 0, NoiseMean = 0, CountScale = 3 } },
        };
        var sim = SpatialSimulator.Simulate(o);
        var counts = sim.Counts["M"];
        var values = sim.Section.GetModality("M").Sparse!;
        for (long p = 0; p < counts.NonZeroCount; p++) Assert.AreEqual(3 * counts.Values[p], values.Values[p]);
        // Without zero inflation the zero rate of background entries (mean 0.2, or 9.2 with a non-spatial factor) is
        // 0.8·P(0 | 0.2) + 0.2·P(0 | 9.2) = 0.656 in expectation.
        long bgZeros = 0, bgEntries = 0;
        var dense = counts.ToDense();
        for (int i = 0; i < counts.Rows; i++)
            if (sim.Domains[i] == 0)
                for (int j = 0; j < counts.Cols; j++) { bgEntries++; if (dense[i, j] == 0) bgZeros++; }
        double p0 = 0.8 * Math.Pow(10 / 10.2, 10) + 0.2 * Math.Pow(10 / 19.2, 10);
        Assert.AreEqual(p0, bgZeros / (double)bgEntries, 0.04);
    }

    [TestMethod]
    public void InvalidOptionsFailWithTheParameterName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpatialSimulator.Simulate(new SpatialSimulatorOptions { Side = 5 }));
        StringAssert.Contains(e.Message, "Side");
        var f = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpatialSimulator.Simulate(new SpatialSimulatorOptions
        {
            Modalities = new() { new ModalitySimulationOptions { Name = "RNA", ZeroInflation = 1.5 } },
        }));
        StringAssert.Contains(f.Message, "ZeroInflation");
        StringAssert.Contains(f.Message, "RNA");
        var g = Assert.ThrowsExactly<ArgumentException>(() => SpatialSimulator.Simulate(new SpatialSimulatorOptions
        {
            Modalities = new() { ModalitySimulationOptions.Rna(), ModalitySimulationOptions.Rna() },
        }));
        StringAssert.Contains(g.Message, "twice");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpatialSimulator.SimulateSections(new SpatialSimulatorOptions(), 0));
    }

    internal static void AssertSameMatrix(CsrMatrix a, CsrMatrix b, string what)
    {
        CollectionAssert.AreEqual(a.RowPtr, b.RowPtr, what);
        CollectionAssert.AreEqual(a.ColIndices, b.ColIndices, what);
        CollectionAssert.AreEqual(a.Values, b.Values, what);
    }
}
