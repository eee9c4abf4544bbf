using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Graphs;

[TestClass]
public sealed class GraphOpsTests
{
    private static NeighborList RandomKnn(int n, int k, int seed)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        return SpatialKnn.Compute(x, y, k);
    }

    private static double[,] Dense(CsrMatrix a)
    {
        var d = new double[a.Rows, a.Cols];
        for (int i = 0; i < a.Rows; i++)
            for (long p = a.RowPtr[i]; p < a.RowPtr[i + 1]; p++) d[i, a.ColIndices[p]] = a.Values[p];
        return d;
    }

    [TestMethod]
    public void PragaRecipe_EqualsDenseComputationFromDefinition()
    {
        int n = 60;
        var knn = RandomKnn(n, 5, 1);
        var graph = GraphOps.PragaNormalizedAdjacency(knn);
        graph.Validate();
        // Independent dense recipe: A_ij = 1 for j in kNN(i); A = min(A + Aᵀ, 1); A += I; D^-½ A D^-½.
        var a = new double[n, n];
        for (int i = 0; i < n; i++) foreach (int j in knn.NeighborsOf(i)) a[i, j] = 1;
        var s = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i, j] = Math.Min(1, a[i, j] + a[j, i]) + (i == j ? 1 : 0);
        var deg = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => s[i, j])).ToArray();
        var got = Dense(graph);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.AreEqual(s[i, j] / Math.Sqrt(deg[i] * deg[j]), got[i, j], 1e-15, $"({i}, {j})");
        // Stored entries are exactly the nonzeros.
        Assert.AreEqual(Enumerable.Range(0, n * n).Count(p => s[p / n, p % n] != 0), (int)graph.NonZeroCount);
    }

    [TestMethod]
    public void SymmetricNormalisation_IsSymmetric_AndRowNormalisedRowsSumToOne()
    {
        var knn = RandomKnn(500, 7, 2);
        var weighted = GraphOps.Symmetrize(knn.ToCsr(EdgeWeighting.Distance), SymmetrizeMode.Mean);
        var sym = GraphOps.SymmetricNormalize(GraphOps.AddSelfLoops(weighted));
        AssertSymmetric(sym);
        var rows = GraphOps.RowNormalize(knn.ToCsr(EdgeWeighting.Distance));
        foreach (var total in GraphOps.Degrees(rows)) Assert.AreEqual(1.0, total, 1e-12);
        // The spectrum of D^-½ A D^-½ lies in [-1, 1]: its largest eigenvector is D^½·1 with eigenvalue 1.
        var a = GraphOps.AddSelfLoops(weighted);
        var d = GraphOps.Degrees(a);
        var v = d.Select(Math.Sqrt).ToArray();
        var av = Multiply(sym, v);
        for (int i = 0; i < v.Length; i++) Assert.AreEqual(v[i], av[i], 1e-9);
    }

    [TestMethod]
    public void Symmetrize_Modes_FollowTheirDefinitions()
    {
        // 0→1 (2), 1→0 (4), 0→2 (3), 2→2 (5)
        var a = new CsrMatrix(3, 3, new long[] { 0, 2, 3, 4 }, new[] { 1, 2, 0, 2 }, new[] { 2.0, 3.0, 4.0, 5.0 });
        var expected = new Dictionary<SymmetrizeMode, double[,]>
        {
            [SymmetrizeMode.Binary] = new double[,] { { 0, 1, 1 }, { 1, 0, 0 }, { 1, 0, 1 } },
            [SymmetrizeMode.Max] = new double[,] { { 0, 4, 3 }, { 4, 0, 0 }, { 3, 0, 5 } },
            [SymmetrizeMode.Mean] = new double[,] { { 0, 3, 1.5 }, { 3, 0, 0 }, { 1.5, 0, 5 } },
            [SymmetrizeMode.Sum] = new double[,] { { 0, 6, 3 }, { 6, 0, 0 }, { 3, 0, 10 } },
        };
        foreach (var (mode, want) in expected)
        {
            var got = GraphOps.Symmetrize(a, mode);
            got.Validate();
            CollectionAssert.AreEqual(want, Dense(got), mode.ToString());
        }
    }

    [TestMethod]
    public void AddSelfLoops_AddsToExistingDiagonalAndInsertsMissingOnes()
    {
        var a = new CsrMatrix(3, 3, new long[] { 0, 1, 3, 3 }, new[] { 2, 0, 1 }, new[] { 7.0, 1.0, 2.0 });
        var b = GraphOps.AddSelfLoops(a, 0.5);
        b.Validate();
        CollectionAssert.AreEqual(new double[,] { { 0.5, 0, 7 }, { 1, 2.5, 0 }, { 0, 0, 0.5 } }, Dense(b));
    }

    [TestMethod]
    public void ZeroDegreeRows_StayZero()
    {
        var a = new CsrMatrix(3, 3, new long[] { 0, 1, 1, 2 }, new[] { 2, 0 }, new[] { 2.0, 2.0 });
        var want = new double[,] { { 0, 0, 1 }, { 0, 0, 0 }, { 1, 0, 0 } };
        foreach (var got in new[] { Dense(GraphOps.SymmetricNormalize(a)), Dense(GraphOps.RowNormalize(a)) })
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) Assert.AreEqual(want[i, j], got[i, j], 1e-15);
    }

    [TestMethod]
    public void UnionSupport_CoversEveryGraph_AndValuesOnSupportReadsThemBack()
    {
        var spatial = GraphOps.Symmetrize(RandomKnn(300, 6, 3).ToCsr(EdgeWeighting.Distance), SymmetrizeMode.Max);
        var feature = RandomKnn(300, 10, 4).ToCsr(EdgeWeighting.Distance);
        var support = GraphOps.UnionSupport(spatial, feature);
        support.Validate();
        var s = Dense(spatial);
        var f = Dense(feature);
        var u = Dense(support);
        for (int i = 0; i < 300; i++)
            for (int j = 0; j < 300; j++)
                Assert.AreEqual(s[i, j] != 0 || f[i, j] != 0 ? 1.0 : 0.0, u[i, j], $"({i}, {j})");
        var onSupport = GraphOps.ValuesOnSupport(feature, support);
        for (int i = 0; i < 300; i++)
            for (long p = support.RowPtr[i]; p < support.RowPtr[i + 1]; p++)
                Assert.AreEqual(f[i, support.ColIndices[p]], onSupport[p]);
        Assert.ThrowsExactly<ArgumentException>(() => GraphOps.UnionSupport(spatial, new CsrMatrix(2, 2, new long[3], [], [])));
    }

    [TestMethod]
    public void NeighborListToCsr_SkipsMissingSlots_AndRejectsBadLists()
    {
        var list = new NeighborList(3, 2, new[] { 2, 1, 0, -1, 1, 0 }, new[] { 0.5, 0.7, 0.2, double.PositiveInfinity, 0.1, 0.3 });
        var g = list.ToCsr(EdgeWeighting.Distance);
        g.Validate();
        CollectionAssert.AreEqual(new double[,] { { 0, 0.7, 0.5 }, { 0.2, 0, 0 }, { 0.3, 0.1, 0 } }, Dense(g));
        var e = Assert.ThrowsExactly<ArgumentException>(() => new NeighborList(2, 1, new[] { 0, 0 }, new double[2]));
        StringAssert.Contains(e.Message, "lists itself");
        e = Assert.ThrowsExactly<ArgumentException>(() => new NeighborList(2, 1, new[] { 5, 0 }, new double[2]));
        StringAssert.Contains(e.Message, "outside 0..1");
        Assert.ThrowsExactly<ArgumentException>(() => GraphOps.Symmetrize(new CsrMatrix(2, 3, new long[3], [], [])));
    }

    [TestMethod]
    public void HlnSpatialGraph_PragaRecipe_Identities()
    {
        var knn = SpatialKnn.Compute(HlnGraphData.X, HlnGraphData.Y, 6);
        var g = GraphOps.PragaNormalizedAdjacency(knn);
        AssertSymmetric(g);
        Assert.AreEqual(3484, g.Rows);
        for (int i = 0; i < g.Rows; i++) Assert.IsGreaterThan(0.0, g.Get(i, i));
    }

    private static void AssertSymmetric(CsrMatrix a)
    {
        var t = GraphOps.Transpose(a);
        CollectionAssert.AreEqual(a.RowPtr, t.RowPtr);
        CollectionAssert.AreEqual(a.ColIndices, t.ColIndices);
        for (long p = 0; p < a.NonZeroCount; p++) Assert.AreEqual(a.Values[p], t.Values[p], 1e-15);
    }

    private static double[] Multiply(CsrMatrix a, double[] v)
    {
        var r = new double[a.Rows];
        for (int i = 0; i < a.Rows; i++)
            for (long p = a.RowPtr[i]; p < a.RowPtr[i + 1]; p++) r[i] += a.Values[p] * v[a.ColIndices[p]];
        return r;
    }
}
