using MLNetSpatialOmics.TorchSharp.GraphLearning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>Outputs of one forward pass (caller disposes).</summary>
internal sealed class TrsmiForward : IDisposable
{
    public required Tensor[] Latents { get; init; }
    /// <summary>Z* = (1 − β)·Z_loc + β·Z_g: the embedding the decoders, losses and clustering use.</summary>
    public required Tensor Combined { get; init; }
    public required Tensor[] Reconstructions { get; init; }
    public required Tensor Beta { get; init; }

    public void Dispose()
    {
        foreach (var t in Latents) t.Dispose();
        Combined.Dispose();
        foreach (var t in Reconstructions) t.Dispose();
        Beta.Dispose();
    }
}

/// <summary>
/// TRSMI as a composition: per modality a non-negative fused adjacency and an RPR encoder → cross-graph alignment →
/// the shared fusion MLP (Z_base) → local refinement on the global graph Â_g = renorm(mean_m Â^m) → multi-scale APPNP
/// on Â_g → scheduled gate → the shared graph decoders on A_S. Â_g is rebuilt every pass from the current learned
/// graphs and fusion weights as one sparse tensor (<see cref="GlobalGraph"/>).
/// </summary>
internal sealed class TrsmiNetwork : nn.Module
{
    private readonly ModuleList<NonNegativeFusedAdjacency> fusions;
    private readonly ModuleList<RprEncoder> encoders;
    private readonly CrossGraphAlignment alignment;
    private readonly FusionMlp mlp;
    private readonly LocalRefinement local;
    private readonly MultiScaleAppnp diffusion;
    private readonly ScheduledGate gate;
    private readonly ModuleList<GraphDecoder> decoders;
    private readonly bool _align;

    public int ModalityCount { get; }
    public long LatentDim { get; }
    public ScheduledGate Gate => gate;
    /// <summary>The cross-graph alignment, or null when it is switched off (or there is one modality).</summary>
    public CrossGraphAlignment? Alignment => _align ? alignment : null;

    public TrsmiNetwork(IReadOnlyList<long> inputDims, TrsmiOptions options) : base(nameof(TrsmiNetwork))
    {
        ModalityCount = inputDims.Count;
        LatentDim = options.ResolvedLatentDimension();
        _align = options.UseAlignment && ModalityCount > 1;
        fusions = new ModuleList<NonNegativeFusedAdjacency>();
        encoders = new ModuleList<RprEncoder>();
        decoders = new ModuleList<GraphDecoder>();
        foreach (var dim in inputDims)
        {
            fusions.Add(new NonNegativeFusedAdjacency());
            encoders.Add(new RprEncoder(dim, LatentDim, options.UseRpr, options.EncoderGate));
        }
        alignment = new CrossGraphAlignment(ModalityCount, LatentDim, options.ResolvedAlignmentDimension(),
            options.AlignmentTopK, options.AlignmentTemperature, options.AlignmentBlockRows, options.AlignmentNearIdentityInit, options.AlignmentFixedSelfPath);
        mlp = new FusionMlp(LatentDim * ModalityCount, LatentDim, LatentDim);
        local = new LocalRefinement(LatentDim, options.LocalGate);
        diffusion = new MultiScaleAppnp(LatentDim, options.ResolvedScales());
        gate = new ScheduledGate(options.UseScheduledGate, options.InitialBetaLogit, options.BetaFloor, options.FixedBeta);
        foreach (var dim in inputDims) decoders.Add(new GraphDecoder(LatentDim, dim));
        RegisterComponents();
    }

    /// <param name="epoch">training epoch, or null for inference (β at its final value, no warm-up).</param>
    public TrsmiForward Forward(IReadOnlyList<Tensor> inputs, SparseGraph spatial, IReadOnlyList<SparseGraph> featureSupports,
        IReadOnlyList<Tensor> featureValues, int? epoch, int epochs, int warmupEpochs)
    {
        using var scope = NewDisposeScope();
        var operators = new Func<Tensor, Tensor>[ModalityCount];
        var latents = new Tensor[ModalityCount];
        for (int m = 0; m < ModalityCount; m++)
        {
            var support = featureSupports[m];
            var values = featureValues[m];
            operators[m] = fusions[m].Operator(x => spatial.Propagate(x), x => support.Propagate(x, values), inputs[m]);
            latents[m] = encoders[m].Forward(inputs[m], operators[m]);
        }
        bool detach = epoch is { } e && e < warmupEpochs;
        var aligned = _align ? alignment.Forward(latents, detach) : latents;
        var zBase = mlp.Forward(cat(aligned, 1));
        var globalGraph = GlobalGraph.Build(Enumerable.Range(0, ModalityCount).Select(m => fusions[m].Edges(
            spatial.Rows, spatial.Cols, spatial.Values, featureSupports[m].Rows, featureSupports[m].Cols, featureValues[m])).ToArray(), inputs[0].shape[0]);
        Func<Tensor, Tensor> global = x => mm(globalGraph, x);
        var zLocal = local.Forward(zBase, global);
        var zGlobal = diffusion.Forward(zLocal, global);
        var beta = epoch is { } t ? gate.TrainingBeta(t, epochs) : gate.InferenceBeta();
        var combined = ScheduledGate.Mix(zLocal, zGlobal, beta);
        var recon = new Tensor[ModalityCount];
        for (int m = 0; m < ModalityCount; m++) recon[m] = decoders[m].Forward(combined, spatial).MoveToOuterDisposeScope();
        foreach (var z in latents) z.MoveToOuterDisposeScope();
        return new TrsmiForward
        {
            Latents = latents,
            Combined = combined.MoveToOuterDisposeScope(),
            Reconstructions = recon,
            Beta = beta.MoveToOuterDisposeScope(),
        };
    }
}
