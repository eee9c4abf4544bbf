using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// PRAGA's learnable feature graph, kept sparse: one learnable weight per edge of the (symmetric, self-looped) feature
/// kNN support, initialised from the normalised feature graph. Each forward symmetrises ((P + Pᵀ)/2), applies ReLU,
/// adds the identity and renormalises by degree.
/// <para>
/// Why per-edge weights and not an edge MLP: PRAGA's dense N×N parameter starts at zero off the kNN support, and there
/// ReLU's gradient is zero, so those entries never move; restricting the parameter to the support is therefore the same
/// model at O(E) cost, not an approximation. A new section has no learned weights: it uses this graph at its
/// initial value (<see cref="InitialNormalizedValues"/>), which keeps inference inductive without a second model.
/// </para>
/// An EMA copy of the normalised graph (α = 0.9) is the reference of a Frobenius regulariser over the edges.
/// </summary>
public sealed class LearnableFeatureGraph : nn.Module
{
    private readonly Parameter weights;
    private readonly SparseGraph _support;
    private readonly Tensor _reverse;
    private readonly Tensor _diagonal;
    private Tensor _reference;

    public SparseGraph Support => _support;

    /// <param name="normalizedFeatureGraph">D^-½(A+I)D^-½ of the feature kNN graph (symmetric support with self-loops).</param>
    public LearnableFeatureGraph(SparseGraph normalizedFeatureGraph) : base(nameof(LearnableFeatureGraph))
    {
        _support = normalizedFeatureGraph;
        _reverse = normalizedFeatureGraph.ReverseEdgeIndex();
        _diagonal = normalizedFeatureGraph.DiagonalMask();
        weights = new Parameter(normalizedFeatureGraph.Values.clone());
        _reference = normalizedFeatureGraph.Values.clone();
        RegisterComponents();
    }

    public Parameter Weights => weights;

    /// <summary>The EMA reference (no gradient), one value per support edge.</summary>
    public Tensor Reference => _reference;

    /// <summary>normalise(ReLU((P + Pᵀ)/2) + I) as per-edge values on the support (differentiable in P).</summary>
    public Tensor NormalizedValues() => Normalize(weights);

    /// <summary>The same map applied to the initial (unlearned) weights: what a new section uses.</summary>
    public Tensor InitialNormalizedValues()
    {
        using var _ = no_grad();
        return Normalize(_support.Values);
    }

    private Tensor Normalize(Tensor p)
    {
        using var scope = NewDisposeScope();
        var symmetric = (p + p.index_select(0, _reverse)) * 0.5;
        var withSelf = nn.functional.relu(symmetric) + _diagonal;
        var result = GraphNormalization.Symmetric(_support.Rows, _support.Cols, withSelf, _support.NodeCount);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>‖Â − EMA‖_F over the support (entries off the support are zero in both).</summary>
    public Tensor FrobeniusToReference(Tensor normalizedValues) =>
        (normalizedValues - _reference).square().sum().add(1e-20).sqrt();

    /// <summary>EMA ← α·EMA + (1 − α)·Â (detached).</summary>
    public void UpdateReference(Tensor normalizedValues, double alpha)
    {
        using var _ = no_grad();
        var updated = (_reference * alpha + normalizedValues.detach() * (1 - alpha)).DetachFromDisposeScope();
        _reference.Dispose();
        _reference = updated;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reverse.Dispose();
            _diagonal.Dispose();
            _reference.Dispose();
        }
        base.Dispose(disposing);
    }
}
