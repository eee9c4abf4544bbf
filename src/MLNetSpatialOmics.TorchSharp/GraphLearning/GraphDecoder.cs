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

    public Tensor Forward(Tensor latent, SparseGraph spatial) => Decode(latent, spatial.Propagate);

    /// <summary>propagate(Z·W): <paramref name="propagate"/> is A_s or a block of its rows (mini-batches).</summary>
    public Tensor Decode(Tensor latent, Func<Tensor, Tensor> propagate)
    {
        using var projected = latent.mm(weight);
        return propagate(projected);
    }
}
