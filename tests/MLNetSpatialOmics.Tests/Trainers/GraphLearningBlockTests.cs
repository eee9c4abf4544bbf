using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.Graphs;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class GraphLearningBlockTests
{
    private static double[,] Dense(CsrMatrix m)
    {
        var d = new double[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
            for (long p = m.RowPtr[i]; p < m.RowPtr[i + 1]; p++) d[i, m.ColIndices[p]] = m.Values[p];
        return d;
    }

    private static CsrMatrix SmallNormalizedKnn(int n, int k, int seed)
    {
        var rng = new Random(seed);
        var pts = new DenseMatrix(n, 3);
        for (int i = 0; i < pts.Data.Length; i++) pts.Data[i] = rng.NextDouble();
        return GraphOps.PragaNormalizedAdjacency(FeatureKnn.Compute(pts, k, FeatureMetric.Euclidean));
    }

    [TestMethod]
    public void PropagationMatchesDenseProduct()
    {
        var csr = SmallNormalizedKnn(30, 4, 1);
        using var g = SparseGraph.FromCsr(csr, CPU);
        var rng = new Random(2);
        var x = new double[30 * 5];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        using var xt = tensor(x, new long[] { 30, 5 }, dtype: ScalarType.Float32);
        using var viaSparse = g.Propagate(xt);
        using var weights = g.Values.clone();
        using var viaGather = g.Propagate(xt, weights);
        var dense = Dense(csr);
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 5; j++)
            {
                double expected = 0;
                for (int t = 0; t < 30; t++) expected += dense[i, t] * x[t * 5 + j];
                Assert.AreEqual(expected, viaSparse[i, j].item<float>(), 1e-5);
                Assert.AreEqual(expected, viaGather[i, j].item<float>(), 1e-5);
            }
    }

    [TestMethod]
    public void LearnableGraphMatchesPragaDenseFormulaAtInit()
    {
        var csr = SmallNormalizedKnn(20, 3, 4);
        using var g = SparseGraph.FromCsr(csr, CPU);
        using var learnable = new LearnableFeatureGraph(g);
        using var values = learnable.NormalizedValues();
        // PRAGA: P = A; Â = D^-½ (ReLU((P+Pᵀ)/2) + I) D^-½ computed densely.
        var a = Dense(csr);
        int n = 20;
        var m = new double[n, n];
        var deg = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                m[i, j] = Math.Max(0, (a[i, j] + a[j, i]) / 2) + (i == j ? 1 : 0);
                deg[i] += m[i, j];
            }
        var rows = g.Rows.data<long>().ToArray();
        var cols = g.Cols.data<long>().ToArray();
        var got = values.data<float>().ToArray();
        for (int e = 0; e < rows.Length; e++)
            Assert.AreEqual(m[rows[e], cols[e]] / Math.Sqrt(deg[rows[e]] * deg[cols[e]]), got[e], 1e-6);
        // The regulariser starts at ‖Â − A‖_F.
        double frob = 0;
        for (int e = 0; e < rows.Length; e++) frob += Math.Pow(got[e] - csr.Values[e], 2);
        using var reg = learnable.FrobeniusToReference(values);
        Assert.AreEqual(Math.Sqrt(frob), reg.item<float>(), 1e-5);
    }

    [TestMethod]
    public void ReverseEdgeIndexPointsEachEdgeAtItsTwin()
    {
        using var g = SparseGraph.FromCsr(SmallNormalizedKnn(40, 4, 11), CPU);
        var rows = g.Rows.data<long>().ToArray();
        var cols = g.Cols.data<long>().ToArray();
        using var reverse = g.ReverseEdgeIndex();
        var r = reverse.data<long>().ToArray();
        Assert.HasCount(rows.Length, r);
        for (int e = 0; e < rows.Length; e++)
        {
            // Independent search over the whole edge list.
            int twin = Enumerable.Range(0, rows.Length).Single(f => rows[f] == cols[e] && cols[f] == rows[e]);
            Assert.AreEqual(twin, r[e], $"edge {e} ({rows[e]}, {cols[e]})");
        }
    }

    [TestMethod]
    public void ReverseEdgeIndexRejectsAnAsymmetricSupport()
    {
        // 0→1 without 1→0.
        var csr = new CsrMatrix(2, 2, new long[] { 0, 2, 3 }, new[] { 0, 1, 1 }, new[] { 1.0, 1.0, 1.0 });
        using var g = SparseGraph.FromCsr(csr, CPU);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => g.ReverseEdgeIndex());
        StringAssert.Contains(error.Message, "not symmetric");
    }

    [TestMethod]
    public void EmaReferenceMovesByOneMinusAlpha()
    {
        using var g = SparseGraph.FromCsr(SmallNormalizedKnn(10, 2, 5), CPU);
        using var learnable = new LearnableFeatureGraph(g);
        var before = learnable.Reference.data<float>().ToArray();
        using var target = ones_like(learnable.Reference);
        learnable.UpdateReference(target, 0.9);
        var after = learnable.Reference.data<float>().ToArray();
        for (int e = 0; e < before.Length; e++) Assert.AreEqual(0.9 * before[e] + 0.1, after[e], 1e-6);
    }

    [TestMethod]
    public void PrototypeLossEqualsPerPrototypeLoop()
    {
        var rng = new Random(7);
        int n = 25, d = 4, k = 3;
        var z = new float[n * d];
        for (int i = 0; i < z.Length; i++) z[i] = (float)(rng.NextDouble() * 2 - 1);
        var c = new float[k * d];
        for (int i = 0; i < c.Length; i++) c[i] = (float)(rng.NextDouble() * 2 - 1);
        using var zt = tensor(z, new long[] { n, d });
        using var ct = tensor(c, new long[] { k, d });
        using var loss = PrototypeContrastiveLoss.Compute(zt, ct, 2.0);
        // Independent loop, as PRAGA's code computes it.
        var assign = new int[n];
        for (int i = 0; i < n; i++)
        {
            double best = double.MaxValue;
            for (int p = 0; p < k; p++)
            {
                double dist = 0;
                for (int j = 0; j < d; j++) dist += Math.Pow(z[i * d + j] - c[p * d + j], 2);
                if (dist < best) { best = dist; assign[i] = p; }
            }
        }
        double expected = 0;
        for (int p = 0; p < k; p++)
        {
            double pos = 0, neg = 0; int members = 0;
            for (int i = 0; i < n; i++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += z[i * d + j] * c[p * d + j];
                double e = Math.Exp(dot / 2.0);
                neg += e;
                if (assign[i] == p) { pos += e; members++; }
            }
            if (members > 0 && members < n) expected -= Math.Log((pos / members) / (neg / n));
        }
        expected /= k;
        Assert.AreEqual(expected, loss.item<float>(), 1e-5);
    }

    [TestMethod]
    public void SplitMergeSplitsAClusterThatHoldsTwoBlobs()
    {
        // Three tight, far-apart blobs but only two initial clusters: one cluster must hold two blobs and be split.
        var rng = new Random(3);
        int perBlob = 60, d = 4;
        var data = new float[3 * perBlob * d];
        for (int b = 0; b < 3; b++)
            for (int i = 0; i < perBlob; i++)
                for (int j = 0; j < d; j++)
                    data[(b * perBlob + i) * d + j] = (float)((j == b ? 5.0 : 0.0) + 0.05 * (rng.NextDouble() - 0.5));
        using var x = tensor(data, new long[] { 3 * perBlob, d });
        using var gen = new Generator(11);
        var sm = new SplitMergePrototypes();
        using var prototypes = sm.Fit(x, 2, gen);
        Assert.AreEqual(1, sm.LastSplits);
        Assert.AreEqual(3, (int)prototypes.shape[0]);
        using var norms = prototypes.norm(1);
        foreach (var v in norms.data<float>().ToArray()) Assert.AreEqual(1.0, v, 1e-5);
    }
}
