using MLNetSpatialOmics.TorchSharp.GraphLearning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>Outputs of one forward pass (caller disposes).</summary>
internal sealed class PragaForward : IDisposable
{
    public required Tensor[] Latents { get; init; }
    public required Tensor Combined { get; init; }
    public required Tensor[] Reconstructions { get; init; }

    public void Dispose()
    {
        foreach (var t in Latents) t.Dispose();
        Combined.Dispose();
        foreach (var t in Reconstructions) t.Dispose();
    }
}

/// <summary>
/// PRAGA's network as a composition of the shared blocks: per modality a fused adjacency (w_s·A_s + w_f·Â_f) and a
/// one-layer graph encoder; a fusion MLP over the concatenated latents; per modality a decoder propagated on A_s.
/// </summary>
internal sealed class PragaNetwork : nn.Module
{
    private readonly ModuleList<FusedAdjacency> fusions;
    private readonly ModuleList<GraphEncoder> encoders;
    private readonly ModuleList<GraphDecoder> decoders;
    private readonly FusionMlp mlp;

    /// <summary>Each modality's fusion weights (w_s, w_f).</summary>
    internal IEnumerable<FusedAdjacency> Fusions => fusions;

    public int ModalityCount { get; }
    public long LatentDim { get; }

    public PragaNetwork(IReadOnlyList<long> inputDims, long latentDim, bool randomFusionInit) : base(nameof(PragaNetwork))
    {
        ModalityCount = inputDims.Count;
        LatentDim = latentDim;
        fusions = new ModuleList<FusedAdjacency>();
        encoders = new ModuleList<GraphEncoder>();
        decoders = new ModuleList<GraphDecoder>();
        foreach (var dim in inputDims)
        {
            if (randomFusionInit)
            {
                // PyTorch's Conv2d(2→1, 1×1) weight init: U(−1/√2, 1/√2), drawn from the seeded global generator.
                using var w = rand(2) * Math.Sqrt(2) - 1 / Math.Sqrt(2);
                fusions.Add(new FusedAdjacency(w[0].item<float>(), w[1].item<float>()));
            }
            else fusions.Add(new FusedAdjacency());
            encoders.Add(new GraphEncoder(dim, latentDim));
        }
        mlp = new FusionMlp(latentDim * inputDims.Count, latentDim, latentDim);
        foreach (var dim in inputDims) decoders.Add(new GraphDecoder(latentDim, dim));
        RegisterComponents();
    }

    /// <summary>
    /// One forward pass on a batch: latents and the fused embedding at the batch's context rows, reconstructions at its
    /// targets. <paramref name="featureValues"/> are the learned feature graphs' values on the batch's feature edges.
    /// </summary>
    public PragaForward Forward(GraphBatch batch, IReadOnlyList<Tensor> featureValues)
    {
        var latents = new Tensor[ModalityCount];
        for (int m = 0; m < ModalityCount; m++)
        {
            using var featurePart = batch.PropagateFeatures(m, featureValues[m]);
            using var propagated = fusions[m].Combine(batch.SpatialInputs[m], featurePart);
            latents[m] = encoders[m].Project(propagated);
        }
        Tensor combined;
        using (var concatenated = cat(latents, 1)) combined = mlp.Forward(concatenated);
        var recon = new Tensor[ModalityCount];
        for (int m = 0; m < ModalityCount; m++) recon[m] = Decode(m, combined, batch);
        return new PragaForward { Latents = latents, Combined = combined, Reconstructions = recon };
    }

    /// <summary>Modality <paramref name="modality"/>'s decoder on context-row embeddings, giving target rows.</summary>
    public Tensor Decode(int modality, Tensor contextEmbedding, GraphBatch batch) => decoders[modality].Decode(contextEmbedding, batch.Decode);
}
