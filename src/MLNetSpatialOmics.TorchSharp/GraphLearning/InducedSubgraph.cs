using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// The graphs a set of spots induces (Cluster-GCN, Chiang et al. 2019): the section's spatial graph and each modality's
/// feature support restricted to the edges with both ends among <see cref="Nodes"/>, in local ids (position in
/// <see cref="Nodes"/>) and renormalised within the block. Built by <see cref="InducedSubgraphs.Build"/>; disposing it
/// releases its tensors.
/// </summary>
internal sealed class InducedSubgraph : IDisposable
{
    /// <summary>Global spot index of each local node, ascending.</summary>
    public required int[] Nodes { get; init; }
    /// <summary><see cref="Nodes"/> as an int64 tensor on the graphs' device.</summary>
    public required Tensor NodeIndex { get; init; }
    /// <summary>The induced spatial graph, D_b^-½·A_b·D_b^-½ over the block.</summary>
    public required SparseGraph Spatial { get; init; }
    /// <summary>Per modality, the induced feature support (values normalised like <see cref="Spatial"/>).</summary>
    public required SparseGraph[] Features { get; init; }
    /// <summary>Per modality, the global edge id of each induced feature edge (int64, the local edge order).</summary>
    public required Tensor[] FeatureEdgeIds { get; init; }

    public int NodeCount => Nodes.Length;

    /// <summary>The block's rows of each N-row matrix (e.g. the modality inputs).</summary>
    public Tensor[] Rows(IReadOnlyList<Tensor> matrices) => matrices.Select(x => x.index_select(0, NodeIndex)).ToArray();

    public void Dispose()
    {
        NodeIndex.Dispose();
        Spatial.Dispose();
        foreach (var f in Features) f.Dispose();
        foreach (var t in FeatureEdgeIds) t.Dispose();
    }
}
