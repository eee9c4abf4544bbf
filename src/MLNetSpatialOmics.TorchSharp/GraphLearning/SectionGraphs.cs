using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Numerics;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// The graphs one section needs: the normalised spatial kNN graph (shared by all modalities, as the coordinates are)
/// and one normalised feature kNN graph per modality (correlation metric), both PRAGA's D^-½(A+Aᵀ∧1 + I)D^-½.
/// </summary>
public sealed class SectionGraphs : IDisposable
{
    public SparseGraph Spatial { get; }
    public IReadOnlyList<SparseGraph> Features { get; }

    private SectionGraphs(SparseGraph spatial, IReadOnlyList<SparseGraph> features)
    {
        Spatial = spatial;
        Features = features;
    }

    /// <summary>
    /// Where feature neighbour lists come from (benchmarks set a disk cache here so repeated runs at a million spots
    /// skip the search); null computes them. Receives the modality, the search options and the computation to cache.
    /// </summary>
    internal static Func<DenseMatrix, FeatureKnnOptions, Func<NeighborList>, NeighborList>? FeatureNeighborSource { get; set; }

    public static SectionGraphs Build(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, int spatialK, int featureK, Device device, int seed = 0)
    {
        int n = coordinates.Rows;
        if (n < 2) throw new ArgumentException($"a section needs at least 2 spots to build graphs; got {n}.");
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = coordinates[i, 0]; y[i] = coordinates[i, 1]; }
        var spatial = SparseGraph.FromCsr(GraphOps.PragaNormalizedAdjacency(SpatialKnn.Compute(x, y, Math.Min(spatialK, n - 1))), device);
        var features = modalities
            .Select(m =>
            {
                var knn = new FeatureKnnOptions { K = Math.Min(featureK, n - 1), Metric = FeatureMetric.Correlation, Seed = seed };
                var lists = FeatureNeighborSource is { } source ? source(m, knn, () => FeatureKnn.Compute(m, knn)) : FeatureKnn.Compute(m, knn);
                return SparseGraph.FromCsr(GraphOps.PragaNormalizedAdjacency(lists), device);
            })
            .ToArray();
        return new SectionGraphs(spatial, features);
    }

    public void Dispose()
    {
        Spatial.Dispose();
        foreach (var f in Features) f.Dispose();
    }
}
