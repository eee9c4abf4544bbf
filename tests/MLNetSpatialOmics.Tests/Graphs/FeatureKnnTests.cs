using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Graphs;

[TestClass]
public sealed class FeatureKnnTests
{
    private static readonly Lazy<NeighborList> HlnClrKnn = new(() =>
        FeatureKnn.Compute(DenseMatrix.FromRows(HlnGraphData.Clr()), 20, FeatureMetric.Correlation, KnnAlgorithm.Exact));

    [TestMethod]
    public void HlnClr_Correlation_MatchesSklearnNeighbourSetsAndDistances()
    {
        var fixture = HlnGraphData.Fixture("knn_correlation_hln.json");
        var knn = HlnClrKnn.Value;
        foreach (var row in fixture.GetProperty("rows").EnumerateArray())
        {
            int q = row.GetProperty("query").GetInt32();
            var want = HlnGraphData.Ints(row.GetProperty("indices"));
            var wantDist = HlnGraphData.Doubles(row.GetProperty("distances"));
            CollectionAssert.AreEquivalent(want, knn.NeighborsOf(q).ToArray(), $"neighbour set of spot {q}");
            var got = knn.DistancesOf(q);
            for (int s = 0; s < 20; s++) Assert.AreEqual(wantDist[s], got[s], 1e-12, $"spot {q}, neighbour {s}");
        }
    }

    [TestMethod]
    public void HlnClr_AllZeroSpot_IsNobodysNeighbourAndHasNone()
    {
        var zero = HlnGraphData.Ints(HlnGraphData.Fixture("knn_correlation_hln.json").GetProperty("all_zero_spots"));
        CollectionAssert.AreEqual(new[] { 2174 }, zero);
        var knn = HlnClrKnn.Value;
        Assert.IsFalse(knn.Indices.Contains(2174));
        CollectionAssert.AreEqual(Enumerable.Repeat(NeighborList.Missing, 20).ToArray(), knn.NeighborsOf(2174).ToArray());
        Assert.IsTrue(knn.DistancesOf(2174).ToArray().All(double.IsPositiveInfinity));
        Assert.AreEqual(3483, Enumerable.Range(0, 3484).Count(i => knn.NeighborsOf(i)[19] != NeighborList.Missing));
    }

    [TestMethod]
    [DataRow(FeatureMetric.Euclidean)]
    [DataRow(FeatureMetric.Cosine)]
    [DataRow(FeatureMetric.Correlation)]
    public void Exact_EqualsBruteForce_WithTiesAndUndefinedRows(FeatureMetric metric)
    {
        var rng = new Random(17);
        int n = 300, d = 5;
        // Small integers: many exactly tied distances and duplicate rows.
        var x = new DenseMatrix(n, d);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.Next(-2, 3);
        for (int j = 0; j < d; j++) { x[7, j] = 0; x[40, j] = 3; }   // zero vector, constant row
        foreach (int k in new[] { 1, 4, 10 })
        {
            var knn = FeatureKnn.Compute(x, k, metric, KnnAlgorithm.Exact);
            for (int i = 0; i < n; i++)
            {
                var expected = Enumerable.Range(0, n).Where(j => j != i)
                    .Select(j => (D: Reference(x, i, j, metric), J: j)).Where(t => !double.IsNaN(t.D))
                    .OrderBy(t => t.D).ThenBy(t => t.J).Take(k).ToArray();
                var got = knn.NeighborsOf(i).ToArray();
                var gotD = knn.DistancesOf(i).ToArray();
                for (int s = expected.Length; s < k; s++)
                    Assert.AreEqual(NeighborList.Missing, got[s], $"{metric} row {i}: slot {s} has no defined neighbour");
                for (int s = 0; s < expected.Length; s++)
                {
                    Assert.AreEqual(expected[s].D, gotD[s], 1e-12, $"{metric} row {i} slot {s}: sorted distances");
                    Assert.AreEqual(Reference(x, i, got[s], metric), gotD[s], 1e-12, $"{metric} row {i} slot {s}: the listed pair's distance");
                }
                if (metric == FeatureMetric.Euclidean)   // integer data: exact squared distances, so the index rule is checkable
                    CollectionAssert.AreEqual(expected.Select(t => t.J).ToArray(), got, $"row {i}: (distance, index) order");
                else if (expected.Length > 0)
                    foreach (var t in expected.Where(t => t.D < expected[^1].D - 1e-9))
                        CollectionAssert.Contains(got, t.J, $"{metric} row {i}: strictly closer than the k-th");
            }
        }
    }

    [TestMethod]
    public void Exact_IndexTiebreak_OnExactlyRepresentableTies()
    {
        // Points on an integer grid under Euclidean distance: squared distances are exact, so ties are real.
        var rows = new List<double[]>();
        for (int a = 0; a < 6; a++) for (int b = 0; b < 6; b++) rows.Add(new double[] { a, b });
        var x = DenseMatrix.FromRows(rows);
        var knn = FeatureKnn.Compute(x, 6, FeatureMetric.Euclidean, KnnAlgorithm.Exact);
        var xs = rows.Select(r => r[0]).ToArray();
        var ys = rows.Select(r => r[1]).ToArray();
        SpatialKnnTests.AssertEqualsBruteForce(xs, ys, 6, knn);
    }

    [TestMethod]
    public void Approximate_SmallCase_RecallAtLeast95AndDeterministic()
    {
        var x = Clustered(2500, 30, seed: 5);
        var exact = FeatureKnn.Compute(x, 20, FeatureMetric.Correlation, KnnAlgorithm.Exact);
        var options = new FeatureKnnOptions { K = 20, Metric = FeatureMetric.Correlation, Algorithm = KnnAlgorithm.Approximate, Seed = 3 };
        var approx = FeatureKnn.Compute(x, options);
        double recall = FeatureKnn.Recall(approx, exact);
        Assert.IsGreaterThanOrEqualTo(0.95, recall, $"recall@20 = {recall}");
        options.MaxDegreeOfParallelism = 1;
        var again = FeatureKnn.Compute(x, options);
        CollectionAssert.AreEqual(approx.Indices, again.Indices, "same seed, one thread: identical lists");
        CollectionAssert.AreEqual(approx.Distances, again.Distances);
        // Reported distances are the true distances of the reported pairs.
        for (int i = 0; i < 50; i++)
            for (int s = 0; s < 20; s++)
                Assert.AreEqual(Reference(x, i, approx.NeighborsOf(i)[s], FeatureMetric.Correlation), approx.DistancesOf(i)[s], 1e-12);
    }

    [TestMethod]
    public void Approximate_UnstructuredGaussian_RecallAtLeast95()
    {
        var rng = new Random(8);
        var x = new DenseMatrix(2000, 30);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        foreach (var metric in new[] { FeatureMetric.Correlation })
        {
            var exact = FeatureKnn.Compute(x, 20, metric, KnnAlgorithm.Exact);
            var approx = FeatureKnn.Compute(x, 20, metric, KnnAlgorithm.Approximate, seed: 1);
            Assert.IsGreaterThanOrEqualTo(0.95, FeatureKnn.Recall(approx, exact), metric.ToString());
        }
    }

    [TestMethod]
    public void Approximate_WithUndefinedRows_LeavesThemOut()
    {
        var x = Clustered(600, 8, seed: 2);
        for (int j = 0; j < 8; j++) { x[10, j] = 1.5; x[11, j] = -4; }
        var knn = FeatureKnn.Compute(x, 10, FeatureMetric.Correlation, KnnAlgorithm.Approximate, seed: 4);
        Assert.IsFalse(knn.Indices.Contains(10) || knn.Indices.Contains(11));
        Assert.AreEqual(NeighborList.Missing, knn.NeighborsOf(10)[0]);
        Assert.AreEqual(598 * 10, knn.Indices.Count(j => j != NeighborList.Missing));
    }

    [TestMethod]
    public void ThreadCount_DoesNotChangeExactResult()
    {
        var x = Clustered(1500, 12, seed: 9);
        var a = FeatureKnn.Compute(x, new FeatureKnnOptions { K = 7, Metric = FeatureMetric.Cosine, Algorithm = KnnAlgorithm.Exact, MaxDegreeOfParallelism = 1 });
        var b = FeatureKnn.Compute(x, new FeatureKnnOptions { K = 7, Metric = FeatureMetric.Cosine, Algorithm = KnnAlgorithm.Exact });
        CollectionAssert.AreEqual(a.Indices, b.Indices);
        CollectionAssert.AreEqual(a.Distances, b.Distances);
    }

    [TestMethod]
    public void BadInput_GivesClearErrors()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FeatureKnn.Compute(new DenseMatrix(1, 3), 1));
        StringAssert.Contains(e.Message, "at least K + 1 = 2 rows");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FeatureKnn.Compute(new DenseMatrix(20, 3), 20));
        StringAssert.Contains(e.Message, "has 20");
        var x = new DenseMatrix(5, 2);
        x[3, 1] = double.NaN;
        var a = Assert.ThrowsExactly<ArgumentException>(() => FeatureKnn.Compute(x, 2, FeatureMetric.Euclidean));
        StringAssert.Contains(a.Message, "row 3, column 1");
        a = Assert.ThrowsExactly<ArgumentException>(() => FeatureKnn.Compute(new DenseMatrix(5, 0), 2));
        StringAssert.Contains(a.Message, "at least one feature column");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FeatureKnn.Compute(new DenseMatrix(5, 2), new FeatureKnnOptions { K = 2, ListSize = 1 }));
    }

    /// <summary>Direct textbook formulas, independent of the library's prepared-row kernel.</summary>
    internal static double Reference(DenseMatrix x, int i, int j, FeatureMetric metric)
    {
        var u = x.RowReadOnly(i).ToArray();
        var v = x.RowReadOnly(j).ToArray();
        if (metric == FeatureMetric.Euclidean) return Math.Sqrt(u.Zip(v, (a, b) => (a - b) * (a - b)).Sum());
        if (metric == FeatureMetric.Correlation)
        {
            double mu = u.Average(), mv = v.Average();
            u = u.Select(a => a - mu).ToArray();
            v = v.Select(b => b - mv).ToArray();
        }
        double nu = Math.Sqrt(u.Sum(a => a * a)), nv = Math.Sqrt(v.Sum(b => b * b));
        if (nu == 0 || nv == 0) return double.NaN;
        return Math.Max(0, 1 - u.Zip(v, (a, b) => a * b).Sum() / (nu * nv));
    }

    internal static DenseMatrix Clustered(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, d).Select(j => 3 * (rng.NextDouble() - 0.5) / Math.Sqrt(1 + j)).ToArray()).ToArray();
        var x = new DenseMatrix(n, d);
        for (int i = 0; i < n; i++)
        {
            var c = centres[rng.Next(centres.Length)];
            for (int j = 0; j < d; j++) x[i, j] = c[j] + (rng.NextDouble() - 0.5) / Math.Sqrt(1 + j);
        }
        return x;
    }
}
