using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Simulation;

[TestClass]
public class LargeSectionSimulatorTests
{
    [TestMethod]
    public void OneTileEqualsTheRegularSimulator()
    {
        var small = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Side = 18, Seed = 3 });
        var large = LargeSectionSimulator.Simulate(new LargeSectionOptions
        {
            SpotCount = 18 * 18, TileSide = 18, Seed = 3, KeepCountLayer = true,
            Modalities = new() { ModalitySimulationOptions.Rna(), ModalitySimulationOptions.Adt(), ModalitySimulationOptions.Atac() },
        });
        CollectionAssert.AreEqual(small.Section.SpotIds, large.Section.SpotIds);
        CollectionAssert.AreEqual(small.Section.X, large.Section.X);
        CollectionAssert.AreEqual(small.Section.Y, large.Section.Y);
        CollectionAssert.AreEqual(small.Domains, large.Domains);
        foreach (var m in small.Section.Modalities)
        {
            SpatialSimulatorTests.AssertSameMatrix(m.Sparse!, large.Section.GetModality(m.Name).Sparse!, m.Name);
            SpatialSimulatorTests.AssertSameMatrix(small.Counts[m.Name], large.Counts[m.Name], m.Name);
        }
    }

    [TestMethod]
    public void TilesRepeatThePatternAndFillTheRequestedSpotCount()
    {
        var sim = LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = 20_001, Features = LargeSectionFeatures.Reduced, Dimensions = 4 });
        Assert.AreEqual(20_001, sim.Section.SpotCount);
        int cols = 142; // ⌈√20001⌉
        Assert.AreEqual(cols - 1, sim.GridColumns.Max());
        Assert.AreEqual(0, sim.Counts.Count, "reduced features have no count layer");
        for (int i = 0; i + 36 * cols < sim.Section.SpotCount; i += 37)
            Assert.AreEqual(sim.Domains[i], sim.Domains[i + 36 * cols], $"spot {i} and the spot one tile below");
        // Spacing equals the 36×36 section's (4/35) so spatial kNN graphs see the same neighbourhoods.
        Assert.AreEqual(4.0 / 35, sim.Section.X[1] - sim.Section.X[0], 1e-12);
        Assert.AreEqual(-4.0 / 35, sim.Section.Y[cols] - sim.Section.Y[0], 1e-12);
        // All five domains, in roughly the template's proportions (16:5:8:6:5 of 36 cells; partial tiles at the edges).
        var expected = new[] { 12, 5, 8, 6, 5 };
        for (int d = 0; d < 5; d++)
            Assert.AreEqual(expected[d] / 36.0, sim.Domains.Count(x => x == d) / 20001.0, 0.02, $"domain {d}");
    }

    [TestMethod]
    public void ReducedFeaturesAreDomainCentroidsPlusUnitNoise()
    {
        var o = new LargeSectionOptions { SpotCount = 30_000, Features = LargeSectionFeatures.Reduced, Dimensions = 50 };
        var sim = LargeSectionSimulator.Simulate(o);
        var again = LargeSectionSimulator.Simulate(o);
        foreach (var name in new[] { "RNA", "ADT" })
        {
            var m = sim.Section.GetModality(name).Dense!;
            CollectionAssert.AreEqual(m.Data, again.Section.GetModality(name).Dense!.Data, "deterministic");
            Assert.AreEqual(50, m.Cols);
            // Per-domain centroid estimates, then the pooled within-domain variance must be 1 (noise sd 1).
            var mean = new double[5, 50];
            var size = new int[5];
            for (int i = 0; i < m.Rows; i++) { size[sim.Domains[i]]++; for (int k = 0; k < 50; k++) mean[sim.Domains[i], k] += m[i, k]; }
            for (int d = 0; d < 5; d++) for (int k = 0; k < 50; k++) mean[d, k] /= size[d];
            double ss = 0;
            int correct = 0;
            for (int i = 0; i < m.Rows; i++)
            {
                int best = -1;
                double bestDist = double.MaxValue;
                for (int d = 0; d < 5; d++)
                {
                    double dist = 0;
                    for (int k = 0; k < 50; k++) { double t = m[i, k] - mean[d, k]; dist += t * t; }
                    if (d == sim.Domains[i]) ss += dist;
                    if (dist < bestDist) { bestDist = dist; best = d; }
                }
                if (best == sim.Domains[i]) correct++;
            }
            Assert.AreEqual(1.0, ss / (m.Rows * 50.0), 0.01, $"{name}: within-domain variance");
            // Centroids ≈ 5 noise sd apart: each of 4 rivals wins with probability ≈ Φ(−2.5) = 0.006, so the
            // features alone classify ~97% of spots (the rest needs the spatial neighbourhood).
            double accuracy = correct / (double)m.Rows;
            Assert.IsTrue(accuracy > 0.95 && accuracy < 0.995, $"{name}: nearest-centroid accuracy {accuracy:F4}");
        }
    }

    [TestMethod]
    public void CountSectionsAreSparseAndSkipTheCountLayerByDefault()
    {
        var sim = LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = 5_000 });
        Assert.AreEqual(0, sim.Counts.Count);
        var rna = sim.Section.GetModality("RNA").Sparse!;
        rna.Validate();
        double density = rna.NonZeroCount / (5000.0 * 1000);
        // Non-zero rate = 0.5·(1 − P(NB = 0)): background entries 0.5·(1 − 0.656) = 0.172 (1/3 of spots), domain
        // entries 0.5·(1 − 0.75·0.656) = 0.254, i.e. 0.227 overall (the shipped RNA has 0.230).
        Assert.AreEqual(0.227, density, 0.01, "RNA density");
    }

    [TestMethod]
    public void InvalidOptionsNameTheParameter()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = 0 }));
        StringAssert.Contains(e.Message, "SpotCount");
        var f = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LargeSectionSimulator.Simulate(new LargeSectionOptions { Features = LargeSectionFeatures.Reduced, Dimensions = 0 }));
        StringAssert.Contains(f.Message, "Dimensions");
        var g = Assert.ThrowsExactly<ArgumentException>(() => LargeSectionSimulator.Simulate(new LargeSectionOptions { Features = LargeSectionFeatures.Reduced, ReducedModalityNames = new() { "A", "A" } }));
        StringAssert.Contains(g.Message, "duplicate");
    }
}
