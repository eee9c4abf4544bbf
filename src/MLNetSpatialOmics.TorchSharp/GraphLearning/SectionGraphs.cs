using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning.Interim;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// The graphs one section needs: the normalised spatial kNN graph (shared by all modalities, as the coordinates are)
/// and one normalised feature kNN graph per modality (correlation metric), both D^-½(A+Aᵀ∧1 + I)D^-½.
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

    public static SectionGraphs Build(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, int spatialK, int featureK, Device device)
    {
        if (coordinates.Rows < 2) throw new ArgumentException($"a section needs at least 2 spots to build graphs; got {coordinates.Rows}.");
        var spatial = SparseGraph.FromCsr(InterimNeighbourGraphs.PragaNormalize(InterimNeighbourGraphs.EuclideanKnn(coordinates, spatialK, device)), device);
        var features = modalities
            .Select(m => SparseGraph.FromCsr(InterimNeighbourGraphs.PragaNormalize(InterimNeighbourGraphs.CorrelationKnn(m, featureK, device)), device))
            .ToArray();
        return new SectionGraphs(spatial, features);
    }

    public void Dispose()
    {
        Spatial.Dispose();
        foreach (var f in Features) f.Dispose();
    }
}
