using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// What one optimisation step of PRAGA's network sees: the whole section (full batch) or a block of target spots with
/// the context they need. The network's output at a target is A_s·(Z·W_dec), so Z is needed on the target's spatial
/// neighbourhood (the context); Z at a context spot needs Â·X on that spot's row only, because the encoder is linear
/// before propagation: Â·(X·W) = (Â·X)·W. A block therefore costs its context rows × feature degree, never a
/// multi-hop neighbourhood.
/// </summary>
internal sealed class GraphBatch : IDisposable
{
    private readonly Func<int, Tensor, Tensor> _propagateFeatures;
    private readonly Func<Tensor, Tensor> _decode;
    private readonly List<IDisposable> _owned;

    /// <summary>Rows the encoders and the fusion MLP produce (N for a full batch).</summary>
    public required int ContextCount { get; init; }
    /// <summary>Positions of the targets among the context rows (int64); null when every context row is a target.</summary>
    public Tensor? TargetPositions { get; init; }
    /// <summary>Global spot index of each context row; null for a full batch (the identity).</summary>
    public int[]? ContextNodes { get; init; }
    /// <summary>Global spot index of each target row; null for a full batch.</summary>
    public int[]? TargetNodes { get; init; }
    /// <summary>Per modality, (A_s·X_m) at the context rows (constant).</summary>
    public required Tensor[] SpatialInputs { get; init; }
    /// <summary>Per modality, X_m at the target rows: what the decoders reconstruct.</summary>
    public required Tensor[] Targets { get; init; }
    /// <summary>Per modality, the global ids of the feature-graph edges this batch uses; null = all edges.</summary>
    public required Tensor?[] FeatureEdgeIds { get; init; }

    public int TargetCount => (int)Targets[0].shape[0];

    public GraphBatch(Func<int, Tensor, Tensor> propagateFeatures, Func<Tensor, Tensor> decode, List<IDisposable>? owned = null)
    {
        _propagateFeatures = propagateFeatures;
        _decode = decode;
        _owned = owned ?? new List<IDisposable>();
    }

    /// <summary>(Â_f,m·X_m) at the context rows, for the batch's feature-edge values (differentiable in them).</summary>
    public Tensor PropagateFeatures(int modality, Tensor edgeValues) => _propagateFeatures(modality, edgeValues);

    /// <summary>A_s restricted to target rows × context columns, applied to a context-row matrix.</summary>
    public Tensor Decode(Tensor contextRows) => _decode(contextRows);

    /// <summary>The target rows of a context-row matrix.</summary>
    public Tensor SelectTargets(Tensor contextRows) =>
        TargetPositions is null ? contextRows.alias() : contextRows.index_select(0, TargetPositions);

    /// <summary>The whole section as one batch; <paramref name="spatialInputs"/> = A_s·X_m, computed once by the caller.</summary>
    public static GraphBatch Full(SectionGraphs graphs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> spatialInputs) =>
        new((m, values) => graphs.Features[m].Propagate(inputs[m], values), graphs.Spatial.Propagate)
        {
            ContextCount = graphs.Spatial.NodeCount,
            SpatialInputs = spatialInputs.ToArray(),
            Targets = inputs.ToArray(),
            FeatureEdgeIds = new Tensor?[inputs.Count],
        };

    /// <summary>A_s·X_m for every modality, without gradient (the constant half of every encoder's input).</summary>
    public static Tensor[] SpatialInputsOf(SectionGraphs graphs, IReadOnlyList<Tensor> inputs)
    {
        using var _ = no_grad();
        return inputs.Select(x => graphs.Spatial.Propagate(x).DetachFromDisposeScope()).ToArray();
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}
