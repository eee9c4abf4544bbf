using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;

namespace MLNetSpatialOmics.Tests.Evaluation;

[TestClass]
public sealed class EvaluatorBehaviourTests
{
    [TestMethod]
    public void MissingTruthIsExcludedAndCounted()
    {
        string?[] truth = { "a", "a", null, "b", "", "b", "c" };
        string?[] pred = { "x", "x", "z", "y", "z", "y", "y" };
        var m = SpatialClusteringEvaluator.Evaluate(truth, pred);
        // The same evaluation on the five labelled spots only; "z" occurs only on unlabelled spots and must vanish.
        var reference = SpatialClusteringEvaluator.Evaluate(new[] { "a", "a", "b", "b", "c" }, new[] { "x", "x", "y", "y", "y" });
        Assert.AreEqual(5, m.Count);
        Assert.AreEqual(2, m.MissingTruthCount);
        Assert.AreEqual(2, m.Contingency.ColumnCount);
        Assert.AreEqual(reference.AdjustedRandIndex, m.AdjustedRandIndex);
        Assert.AreEqual(reference.AdjustedMutualInformation, m.AdjustedMutualInformation);
        Assert.AreEqual(reference.HungarianMacroF1, m.HungarianMacroF1);
    }

    [TestMethod]
    public void NullableIntTruthMatchesStringPath()
    {
        int?[] truth = { 3, 3, null, 5, 5, 7 };
        int[] pred = { 1, 1, 2, 2, 2, 9 };
        var a = SpatialClusteringEvaluator.Evaluate(truth, pred);
        var b = SpatialClusteringEvaluator.Evaluate(new[] { "3", "3", null, "5", "5", "7" }, new[] { "1", "1", "2", "2", "2", "9" });
        Assert.AreEqual(1, a.MissingTruthCount);
        Assert.AreEqual(b.NormalizedMutualInformation, a.NormalizedMutualInformation);
        Assert.AreEqual(b.F1, a.F1);
    }

    [TestMethod]
    public void LengthMismatchAndEmptyAreClearErrors()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => SpatialClusteringEvaluator.Evaluate(new[] { 1, 2 }, new[] { 1 }));
        StringAssert.Contains(e.Message, "2 labels");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => SpatialClusteringEvaluator.Evaluate(new string?[] { null }, new string?[] { "a" }));
        StringAssert.Contains(e2.Message, "nothing to evaluate");
    }

    [TestMethod]
    public void CatalogReadsKeyAndTextColumnsAndNeighbourColumn()
    {
        var ml = new MLContext(seed: 1);
        string[] truth = { "a", "a", "b", "b", "", "c" };
        uint[] predKeys = { 1, 1, 2, 2, 2, 0 }; // key 0 = missing prediction
        int[] neighbours = { 1, -1, 0, -1, 3, -1, 2, -1, 3, -1, 4, -1 };
        var view = new InMemoryDataView(new[]
        {
            InMemoryColumn.Text("Truth", truth),
            InMemoryColumn.Key("PredictedLabel", predKeys, 2),
            InMemoryColumn.Vector("Nb", neighbours, 2),
        });
        var m = ml.Clustering.EvaluateSpatial(view, neighboursColumnName: "Nb");
        Assert.AreEqual(4, m.Count);
        Assert.AreEqual(1, m.MissingTruthCount);
        Assert.AreEqual(1, m.MissingPredictionCount);
        Assert.AreEqual(1.0, m.AdjustedRandIndex);
        Assert.IsNotNull(m.Spatial);
        // Links among predicted spots: 0→1, 1→0, 2→3, 3→2, 4→3 (5→4 leaves an unlabelled spot out): all agree.
        Assert.AreEqual(1.0, m.Spatial.NeighbourAgreement);
        StringAssert.Contains(m.ToJson(), "\"v_measure\"");
    }

    [TestMethod]
    public void NamedValuesCarryThePragaKeys()
    {
        var m = SpatialClusteringEvaluator.Evaluate(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 1, 1 });
        var keys = m.ToNamedValues().Select(kv => kv.Key).Take(10).ToArray();
        CollectionAssert.AreEqual(new[] { "mi", "nmi", "ami", "fmi", "ari", "v_measure", "homogeneity", "completeness", "f1", "jaccard" }, keys);
    }

    [TestMethod]
    public void LinearAssignmentMatchesBruteForceOnRandomRectangles()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int r = rng.Next(1, 6), c = rng.Next(1, 6);
            var cost = new double[r, c];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) cost[i, j] = rng.Next(0, 4);
            var match = LinearAssignment.Solve(cost, maximize: true);
            double got = 0;
            var used = new HashSet<int>();
            for (int i = 0; i < r; i++) if (match[i] >= 0) { got += cost[i, match[i]]; Assert.IsTrue(used.Add(match[i])); }
            Assert.AreEqual(Math.Min(r, c), used.Count);
            Assert.AreEqual(BestByEnumeration(cost), got, $"trial {trial}");
        }
    }

    private static double BestByEnumeration(double[,] cost)
    {
        int r = cost.GetLength(0), c = cost.GetLength(1);
        double best = double.NegativeInfinity;
        void Rec(int i, bool[] used, double acc, int assigned)
        {
            if (i == r) { if (assigned == Math.Min(r, c)) best = Math.Max(best, acc); return; }
            Rec(i + 1, used, acc, assigned); // this row unmatched (only optimal-size matchings count below)
            for (int j = 0; j < c; j++)
                if (!used[j]) { used[j] = true; Rec(i + 1, used, acc + cost[i, j], assigned + 1); used[j] = false; }
        }
        Rec(0, new bool[c], 0, 0);
        return best;
    }
}

[TestClass]
public sealed class ExpectedMutualInformationTests
{
    /// <summary>The windowed EMI sum equals sklearn's full sum (every n_ij) on a larger random case.</summary>
    [TestMethod]
    public void WindowedSumEqualsTheFullHypergeometricSum()
    {
        var rng = new Random(9);
        int n = 20_000;
        var t = Enumerable.Range(0, n).Select(_ => rng.Next(7)).ToArray();
        var p = t.Select(v => rng.NextDouble() < 0.6 ? v : rng.Next(9)).ToArray();
        var m = SpatialClusteringEvaluator.Evaluate(t, p);
        var table = m.Contingency;
        var lnFact = new LogFactorialTable(n);
        double expected = 0;
        foreach (var a in table.RowSums)
            foreach (var b in table.ColumnSums)
                for (long nij = Math.Max(1, a + b - n); nij <= Math.Min(a, b); nij++)
                {
                    double gln = lnFact[a] + lnFact[b] + lnFact[n - a] + lnFact[n - b] - lnFact[n]
                        - lnFact[nij] - lnFact[a - nij] - lnFact[b - nij] - lnFact[n - a - b + nij];
                    expected += nij / (double)n * (Math.Log(n) + Math.Log(nij) - Math.Log(a) - Math.Log(b)) * Math.Exp(gln);
                }
        Assert.AreEqual(expected, m.ExpectedMutualInformation, 1e-13 * expected);
    }

    [TestMethod]
    public void LogFactorialTableIsAccurate()
    {
        var table = new LogFactorialTable(200_000);
        // ln(170!) from the double factorial; Stirling series for a large argument.
        double f = 1;
        for (int k = 2; k <= 170; k++) f *= k;
        Assert.AreEqual(Math.Log(f), table[170], 1e-12 * Math.Log(f));
        double x = 200_000;
        double stirling = x * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
        Assert.AreEqual(stirling, table[200_000], 4e-16 * stirling * 4);
    }
}
