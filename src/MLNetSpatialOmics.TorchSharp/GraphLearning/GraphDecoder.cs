using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>Per-modality decoder: A_s·(Z·W), W Xavier-initialised, propagated on the spatial graph.</summary>
public sealed class GraphDecoder : nn.Module
{
    private readonly Parameter weight;

    public GraphDecoder(long latentDim, long outputDim) : base(nameof(GraphDecoder))
    {
        weight = new Parameter(empty(latentDim, outputDim));
        nn.init.xavier_uniform_(weight);
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Tensor Forward(Tensor latent, SparseGraph spatial)
    {
        using var projected = latent.mm(weight);
        return spatial.Propagate(projected);
    }
}
