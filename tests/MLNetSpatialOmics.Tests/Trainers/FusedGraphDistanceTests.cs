using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class FusedGraphDistanceTests
{
    private const int N = 40;

    private static CsrMatrix NormalizedKnn(int k, int seed, int dims)
    {
        var rng = new Random(seed);
        var points = new DenseMatrix(N, dims);
        for (int i = 0; i < points.Data.Length; i++) points.Data[i] = rng.NextDouble();
        return GraphOps.PragaNormalizedAdjacency(FeatureKnn.Compute(points, k, FeatureMetric.Euclidean));
    }

    private static double[,] Dense(CsrMatrix m, double[]? values = null)
    {
        var d = new double[N, N];
        for (int i = 0; i < N; i++)
            for (long p = m.RowPtr[i]; p < m.RowPtr[i + 1]; p++) d[i, m.ColIndices[p]] = values?[p] ?? m.Values[p];
        return d;
    }

    // Spatial and feature graphs that share some edges (the self-loops at least, and near pairs in 2-D); fusion at 0.5 / 0.5.
    private sealed class Setup : IDisposable
    {
        public CsrMatrix SpatialCsr { get; } = NormalizedKnn(4, 1, 2);
        public CsrMatrix FeatureCsr { get; } = NormalizedKnn(6, 2, 2);
        private readonly SparseGraph _spatial, _feature;
        public FusedGraphDistance Distance { get; }
        public FusedAdjacency Fusion { get; } = new(0.5, 0.5);

        public Setup()
        {
            _spatial = SparseGraph.FromCsr(SpatialCsr, CPU);
            _feature = SparseGraph.FromCsr(FeatureCsr, CPU);
            Distance = new FusedGraphDistance(_spatial, _feature, 0.5, 0.5);
        }

        public void Dispose()
        {
            Distance.Dispose();
            Fusion.Dispose();
            _spatial.Dispose();
            _feature.Dispose();
        }
    }

    [TestMethod]
    public void DistanceMatchesTheDenseFrobeniusNormOfTheFusedAdjacencyChange()
    {
        using var setup = new Setup();
        var (spatialCsr, featureCsr, distance, fusion) = (setup.SpatialCsr, setup.FeatureCsr, setup.Distance, setup.Fusion);

        var rng = new Random(3);
        var learned = featureCsr.Values.Select(v => v * (0.6 + 0.8 * rng.NextDouble())).ToArray();
        using var values = tensor(learned.Select(v => (float)v).ToArray());
        using var initial = tensor(featureCsr.Values.Select(v => (float)v).ToArray());
        using (no_grad())
        {
            fusion.SpatialWeight.fill_(0.8);
            fusion.FeatureWeight.fill_(0.3);
        }

        var a = Dense(spatialCsr);
        var f = Dense(featureCsr, learned);
        var f0 = Dense(featureCsr);
        double squared = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
            {
                double delta = (0.8 * a[i, j] + 0.3 * f[i, j]) - (0.5 * a[i, j] + 0.5 * f0[i, j]);
                squared += delta * delta;
            }
        using var full = distance.Distance(fusion, values, initial, null);
        Assert.AreEqual(Math.Sqrt(squared), full.item<float>(), 1e-4 * Math.Sqrt(squared));

        // Every edge given as a subset, in another order: the same value (scale 1, shared edges found by position).
        var order = Enumerable.Range(0, learned.Length).Reverse().Select(e => (long)e).ToArray();
        using var ids = tensor(order);
        using var subsetValues = values.index_select(0, ids);
        using var subsetInitial = initial.index_select(0, ids);
        using var viaSubset = distance.Distance(fusion, subsetValues, subsetInitial, ids);
        Assert.AreEqual(full.item<float>(), viaSubset.item<float>(), 1e-4 * full.item<float>());

        // A batch after the all-edges one (the first half of the edges) sees no trace of it: the same value as on a
        // fresh instance.
        using var half = arange(learned.Length / 2, dtype: ScalarType.Int64);
        using var halfValues = values.index_select(0, half);
        using var halfInitial = initial.index_select(0, half);
        using var afterOthers = distance.Distance(fusion, halfValues, halfInitial, half);
        using var fresh = new Setup();
        using (no_grad())
        {
            fresh.Fusion.SpatialWeight.fill_(0.8);
            fresh.Fusion.FeatureWeight.fill_(0.3);
        }
        using var onFresh = fresh.Distance.Distance(fresh.Fusion, halfValues, halfInitial, half);
        Assert.AreEqual(onFresh.item<float>(), afterOthers.item<float>(), 1e-6 * onFresh.item<float>());
    }

    [TestMethod]
    public void DistanceIsZeroAtTheStartAndPullsTheFusionWeightsBack()
    {
        using var setup = new Setup();
        var (featureCsr, distance, fusion) = (setup.FeatureCsr, setup.Distance, setup.Fusion);
        using var initial = tensor(featureCsr.Values.Select(v => (float)v).ToArray());
        using (var atStart = distance.Distance(fusion, initial, initial, null))
            Assert.AreEqual(0.0, atStart.item<float>(), 1e-6);

        using (no_grad()) fusion.SpatialWeight.fill_(0.9);
        using var moved = distance.Distance(fusion, initial, initial, null);
        moved.backward();
        Assert.IsTrue(fusion.SpatialWeight.grad!.item<float>() > 0, "the gradient must push w_s back down towards 0.5");
    }
}
