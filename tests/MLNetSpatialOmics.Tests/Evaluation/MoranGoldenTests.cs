using System.Globalization;
using System.Text.Json;
using MLNetSpatialOmics.Evaluation;

namespace MLNetSpatialOmics.Tests.Evaluation;

/// <summary>fixtures/moran_hln.json, primary variant (row-standardised 6-NN, ties by lower index), to 1e-12.</summary>
[TestClass]
public sealed class MoranGoldenTests
{
    internal static (double[][] Counts, int[] X, int[] Y) ReadHlnCounts()
    {
        var lines = File.ReadAllLines(SharedData.DataFile("hln_a1/derived_adt_counts.csv"));
        int n = lines.Length - 1;
        var counts = new double[n][];
        var x = new int[n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            var f = lines[i + 1].Split(',');
            x[i] = int.Parse(f[1], CultureInfo.InvariantCulture);
            y[i] = int.Parse(f[2], CultureInfo.InvariantCulture);
            counts[i] = f.Skip(3).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        return (counts, x, y);
    }

    private static int[][] FixtureNeighbours(JsonElement root) =>
        root.GetProperty("neighbours_knn6_tiebreak_by_index").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();

    [TestMethod]
    public void MoranIOfAllRawAndClrFeaturesMatches()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("moran_hln.json")));
        var root = doc.RootElement;
        var nb = FixtureNeighbours(root);
        var (counts, _, _) = ReadHlnCounts();
        int n = counts.Length, p = counts[0].Length;
        Assert.AreEqual(3484, n);
        var clr = counts.Select(Clr).ToArray();
        int checkedCount = 0;
        foreach (var feature in root.GetProperty("results").GetProperty("knn6_tiebreak_by_index").EnumerateObject())
        {
            var parts = feature.Name.Split('_');
            int j = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var source = parts[0] == "raw" ? counts : clr;
            var values = source.Select(r => r[j]).ToArray();
            double expected = feature.Value.GetProperty("I").GetDouble();
            double actual = MoransI.Compute(values, nb);
            Assert.AreEqual(expected, actual, 1e-12, feature.Name);
            checkedCount++;
        }
        Assert.AreEqual(2 * p, checkedCount);
    }

    [TestMethod]
    public void FixtureNeighboursAreTheExactSixNearestWithIndexTieBreak()
    {
        // Independent check of the weights' definition: brute-force (squared distance, index) order.
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("moran_hln.json")));
        var nb = FixtureNeighbours(doc.RootElement);
        var (_, x, y) = ReadHlnCounts();
        for (int i = 0; i < x.Length; i += 7)
        {
            var expected = Enumerable.Range(0, x.Length).Where(j => j != i)
                .OrderBy(j => (long)(x[j] - x[i]) * (x[j] - x[i]) + (long)(y[j] - y[i]) * (y[j] - y[i])).ThenBy(j => j)
                .Take(6).OrderBy(j => j).ToArray();
            CollectionAssert.AreEqual(expected, nb[i].OrderBy(j => j).ToArray(), $"spot {i}");
        }
    }

    [TestMethod]
    public void RowMajorOverloadAgreesAndBadNeighbourIsNamed()
    {
        double[] v = { 1, 2, 3, 4 };
        int[] flat = { 1, 2, 0, 2, 1, 3, 2, 1 };
        var lists = new[] { new[] { 1, 2 }, new[] { 0, 2 }, new[] { 1, 3 }, new[] { 2, 1 } };
        Assert.AreEqual(MoransI.Compute(v, lists), MoransI.Compute(v, flat, 2));
        var e = Assert.ThrowsExactly<ArgumentException>(() => MoransI.Compute(v, new[] { new[] { 0 }, new[] { 0 }, new[] { 1 }, new[] { 9 } }));
        StringAssert.Contains(e.Message, "spot 0");
    }

    [TestMethod]
    public void LabelCoherenceOnTheHlnTruthIsHighAndIndicatorMoranMatchesDefinition()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("moran_hln.json")));
        var nb = FixtureNeighbours(doc.RootElement);
        var labels = File.ReadAllLines(SharedData.DataFile("hln_a1/praga_GT_labels.txt")).Where(l => l.Length > 0)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var m = SpatialClusteringEvaluator.Evaluate(labels, labels, nb);
        Assert.IsNotNull(m.Spatial);
        // SOURCES.md: 6-NN label agreement of the HLN truth is 0.63.
        Assert.AreEqual(0.63, m.Spatial.NeighbourAgreement, 0.005);
        // Independent: per-cluster indicator Moran's I straight from the formula.
        for (int k = 0; k < 10; k++)
        {
            var z = labels.Select(l => l == k ? 1.0 : 0.0).ToArray();
            double mean = z.Average(), num = 0, den = 0;
            for (int i = 0; i < z.Length; i++)
            {
                num += (z[i] - mean) * nb[i].Average(j => z[j] - mean);
                den += (z[i] - mean) * (z[i] - mean);
            }
            Assert.AreEqual(num / den, m.Spatial.ClusterMoranI[k], 1e-12, $"cluster {k}");
        }
    }

    [TestMethod]
    public void CatalogBuildsTheSixNearestFromXYAndMatchesTheFixtureNeighbours()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("moran_hln.json")));
        var nb = FixtureNeighbours(doc.RootElement);
        var (_, x, y) = ReadHlnCounts();
        var labels = File.ReadAllLines(SharedData.DataFile("hln_a1/praga_GT_labels.txt")).Where(l => l.Length > 0)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var shuffled = labels.OrderBy(l => l).ToArray(); // a different partition with the same class sizes
        var view = new MLNetSpatialOmics.DataView.InMemoryDataView(new[]
        {
            MLNetSpatialOmics.DataView.InMemoryColumn.Single("X", x.Select(v => (float)v).ToArray()),
            MLNetSpatialOmics.DataView.InMemoryColumn.Single("Y", y.Select(v => (float)v).ToArray()),
            MLNetSpatialOmics.DataView.InMemoryColumn.Int32("Truth", labels),
            MLNetSpatialOmics.DataView.InMemoryColumn.Int32("PredictedLabel", shuffled),
        });
        var viaXY = new Microsoft.ML.MLContext().Clustering.EvaluateSpatial(view, spatialNeighbours: 6);
        var viaLists = SpatialClusteringEvaluator.Evaluate(labels, shuffled, nb);
        Assert.AreEqual(viaLists.Spatial!.NeighbourAgreement, viaXY.Spatial!.NeighbourAgreement, 1e-15);
        for (int k = 0; k < 10; k++) Assert.AreEqual(viaLists.Spatial.ClusterMoranI[k], viaXY.Spatial.ClusterMoranI[k], 1e-12);
    }

    /// <summary>SpatialGlue/PRAGA CLR: g = exp(Σ_{x>0} log1p(x) / p), y = log1p(x / g).</summary>
    private static double[] Clr(double[] x)
    {
        double s = 0;
        foreach (var v in x) if (v > 0) s += Math.Log(1 + v);
        double g = Math.Exp(s / x.Length);
        return x.Select(v => Math.Log(1 + v / g)).ToArray();
    }
}
