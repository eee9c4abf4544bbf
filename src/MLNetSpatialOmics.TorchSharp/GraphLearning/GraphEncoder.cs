using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>One-layer graph encoder of one modality: Â·(X·W), W Xavier-initialised, no bias, no activation (as PRAGA).</summary>
public sealed class GraphEncoder : nn.Module
{
    private readonly Parameter weight;

    public GraphEncoder(long inputDim, long outputDim) : base(nameof(GraphEncoder))
    {
        weight = new Parameter(empty(inputDim, outputDim));
        nn.init.xavier_uniform_(weight);
        RegisterComponents();
    }

    public Parameter Weight => weight;

    /// <summary>
    /// The encoder applied to an already propagated input: Â·(X·W) = (Â·X)·W. PRAGA's trainers propagate X (constant,
    /// no gradient) rather than X·W, so the spatial part is computed once per section and the learnable part's backward
    /// needs only the edge gradient.
    /// </summary>
    public Tensor Project(Tensor propagatedInput) => propagatedInput.mm(weight);

    /// <summary>Projects then propagates with the given operator (e.g. <see cref="FusedAdjacency.Propagate"/>).</summary>
    public Tensor Forward(Tensor x, Func<Tensor, Tensor> propagate)
    {
        using var projected = x.mm(weight);
        return propagate(projected);
    }
}
