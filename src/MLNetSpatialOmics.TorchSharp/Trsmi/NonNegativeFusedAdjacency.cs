using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// TRSMI's fused adjacency Â = w_S·A_S + w_F·A_F with w = softplus(raw) ≥ 0, symmetrised by construction (both inputs
/// are symmetric) and degree-normalised as D^-½ Â D^-½ with D = diag(Â·1). Applied as two SpMMs per product; the
/// union graph is never built. Because of the renormalisation only the ratio w_S : w_F matters, so both start equal.
/// </summary>
public sealed class NonNegativeFusedAdjacency : nn.Module
{
    private readonly Parameter raw_spatial_weight;
    private readonly Parameter raw_feature_weight;

    public NonNegativeFusedAdjacency(double spatialWeight = 1.0, double featureWeight = 1.0) : base(nameof(NonNegativeFusedAdjacency))
    {
        if (!(spatialWeight > 0) || !(featureWeight > 0))
            throw new ArgumentOutOfRangeException(nameof(spatialWeight), "initial fusion weights must be positive (they pass through softplus).");
        raw_spatial_weight = new Parameter(tensor(new[] { (float)InverseSoftplus(spatialWeight) }));
        raw_feature_weight = new Parameter(tensor(new[] { (float)InverseSoftplus(featureWeight) }));
        RegisterComponents();
    }

    /// <summary>w_S = softplus(raw_S).</summary>
    public Tensor SpatialWeight() => nn.functional.softplus(raw_spatial_weight);

    /// <summary>w_F = softplus(raw_F).</summary>
    public Tensor FeatureWeight() => nn.functional.softplus(raw_feature_weight);

    /// <summary>
    /// The normalised fused operator for one forward pass. <paramref name="spatial"/> and <paramref name="feature"/>
    /// multiply by the (already symmetric, normalised) spatial and feature graphs; the feature graph may carry learnable
    /// edge weights, which then receive gradients through both the product and the degree. <paramref name="like"/> is
    /// any N-row tensor with the inputs' dtype and device (the degree vector is computed now, in the caller's scope).
    /// </summary>
    public Func<Tensor, Tensor> Operator(Func<Tensor, Tensor> spatial, Func<Tensor, Tensor> feature, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(spatial);
        ArgumentNullException.ThrowIfNull(feature);
        var ws = SpatialWeight();
        var wf = FeatureWeight();
        return GraphOperators.SymmetricallyNormalized(x => spatial(x) * ws + feature(x) * wf, like);
    }

    /// <summary>The fused graph as weighted edge lists (w_S·A_S, w_F·A_F), for <see cref="GlobalGraph"/>.</summary>
    public IReadOnlyList<WeightedEdges> Edges(Tensor spatialRows, Tensor spatialCols, Tensor spatialValues,
        Tensor featureRows, Tensor featureCols, Tensor featureValues) => new[]
    {
        new WeightedEdges(spatialRows, spatialCols, spatialValues, SpatialWeight()),
        new WeightedEdges(featureRows, featureCols, featureValues, FeatureWeight()),
    };

    private static double InverseSoftplus(double y) => y > 20 ? y : Math.Log(Math.Exp(y) - 1);
}
