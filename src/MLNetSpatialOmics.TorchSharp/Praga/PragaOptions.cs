using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>One epoch's losses and the number of prototypes in use (0 before the prototype loss starts).</summary>
public readonly record struct PragaProgress(int Epoch, int Epochs, double Total, double Reconstruction, double Prototype, double Graph, int Prototypes);

/// <summary>
/// Options of <see cref="PragaTrainer"/>. Defaults are PRAGA's "Simulation" settings; <see cref="TenX"/> gives its
/// "10x" (lymph node / SPOTS) settings.
/// </summary>
public sealed class PragaOptions
{
    /// <summary>Preprocessed feature columns, one per modality (1 to 3), e.g. RNA, ADT, ATAC.</summary>
    public string[] ModalityColumns { get; set; } = { "RNA", "ADT", "ATAC" };
    public string XColumn { get; set; } = SectionColumns.X;
    public string YColumn { get; set; } = SectionColumns.Y;

    /// <summary>Number of spatial domains for the final mixture (and the initial prototype count).</summary>
    public int Clusters { get; set; } = 5;
    public int Epochs { get; set; } = 200;
    public double LearningRate { get; set; } = 0.001;
    public double WeightDecay { get; set; } = 2e-2;
    public double Momentum { get; set; } = 0.9;
    /// <summary>Reconstruction weight per modality; null = PRAGA's for the modality count (1/3/3 for three, 1/3 for two, 1 for one).</summary>
    public double[]? ReconstructionWeights { get; set; }

    public int SpatialNeighbors { get; set; } = 3;
    public int FeatureNeighbors { get; set; } = 20;
    /// <summary>Latent size; 0 = PRAGA's (64, or 128 with three modalities).</summary>
    public int LatentDimension { get; set; }

    /// <summary>τ of the prototype contrastive loss.</summary>
    public double Temperature { get; set; } = 2.0;
    /// <summary>Weight of the prototype loss (PRAGA's code: 1 for Simulation and 10x by default).</summary>
    public double PrototypeWeight { get; set; } = 1.0;
    /// <summary>First epoch (0-based) with the prototype loss; PRAGA starts after epoch 99.</summary>
    public int PrototypeStartEpoch { get; set; } = 100;
    /// <summary>Prototypes are re-seeded (mixture + split/merge) every this many epochs after the start (PRAGA: 100 for Simulation, 50 otherwise).</summary>
    public int PrototypeRefreshEvery { get; set; } = 100;
    /// <summary>Initial prototype count before split/merge; 0 = <see cref="Clusters"/>.</summary>
    public int PrototypeCount { get; set; }
    /// <summary>
    /// Refine the mixture's prototypes with DeepDPM-style split/merge (PRAGA's code). Off by default: with PRAGA's NIW
    /// prior (Ψ₀ = 0.005·I, ν₀ ≥ d) the Hastings ratios are dominated by the embedding's absolute scale, and on the
    /// triplet data they merged true domains (5 → 3 prototypes, ARI 0.966 vs 0.998 without; see README).
    /// </summary>
    public bool SplitMerge { get; set; }

    public double EmaAlpha { get; set; } = 0.9;
    public double GraphRegularizationWeight { get; set; } = 1.0;
    /// <summary>
    /// Initialise w_s, w_f like PRAGA's released code (PyTorch's Conv2d default, U(−1/√2, 1/√2), seeded); false
    /// (default) = 0.5 / 0.5, an equal non-negative mix. Training at PRAGA's learning rates moves these weights little,
    /// and a random draw often has opposite signs, so that w_s·A_s + w_f·Â_f becomes a difference of two graphs that
    /// cancels a spot's own features (triplet seed 2, RNA: w_s 0.149, w_f −0.132 after training). Triplet simulation,
    /// seeds 0–19, PRAGA: ARI 0.949 ± 0.071 with the random draw (seed 5: 0.69), 0.986 ± 0.011 with 0.5 / 0.5.
    /// </summary>
    public bool RandomFusionInit { get; set; }

    /// <summary>PCA components of the embedding fed to the final mixture (PRAGA: 20; 0 = no PCA).</summary>
    public int PcaComponents { get; set; } = 20;
    /// <summary>Final mixture model (PRAGA: mclust EEE).</summary>
    public MixtureModelName MixtureModel { get; set; } = MixtureModelName.EEE;
    /// <summary>Seed of the final mixture's initialisation (PRAGA/mclust: 2020).</summary>
    public int ClusteringSeed { get; set; } = 2020;
    /// <summary>
    /// Let the final mixture search split/merge moves for a partition of higher likelihood after EM
    /// (<see cref="MclustOptions.SplitMergeSearch"/>). Off by default (mclust's EM alone); on in CRCT's simulation preset,
    /// where with <see cref="Crct.GraphReference.InitialFused"/> it repairs the embeddings whose EM fit merged a domain
    /// (README, CRCT). On other embeddings it sometimes trades a few border spots for likelihood. It costs seconds for 5
    /// components on a few thousand rows (a search subset of 20,000 rows above that), minutes for 10.
    /// </summary>
    public bool MixtureSplitMergeSearch { get; set; }

    /// <summary>
    /// Sections with more spots than this train in mini-batches: blocks of <see cref="BatchSize"/> spatially contiguous
    /// spots, one optimiser step per block, prototypes seeded from a chunked embedding of the whole section.
    /// 0 = always mini-batch; <see cref="int.MaxValue"/> = always full batch.
    /// </summary>
    public int MiniBatchThreshold { get; set; } = 200_000;
    /// <summary>Target spots per mini-batch (their spatial neighbours come along as context).</summary>
    public int BatchSize { get; set; } = 65_536;
    /// <summary>
    /// Mini-batch optimisation: true (default) takes one optimiser step per block; false accumulates every block's
    /// gradient, weighted by its share of the spots, into one step per epoch (the full-batch gradient for the
    /// reconstruction term, batch-local for the prototype and graph terms). On the triplet simulation in blocks of 324
    /// spots, stepping per block reached ARI 0.976 on seed 0 where accumulating reached 0.696.
    /// </summary>
    public bool StepPerBatch { get; set; } = true;
    /// <summary>Feature-graph neighbours sampled per context spot in a mini-batch (weights scaled by degree / fan-out); 0 = all.</summary>
    public int FeatureFanout { get; set; }
    /// <summary>
    /// Spatial neighbours sampled per target spot in a mini-batch for the decoder's A_s (weights scaled by degree /
    /// fan-out, so the block's A_s·Z stays unbiased; the context shrinks to the sampled neighbours); 0 = all.
    /// </summary>
    public int SpatialFanout { get; set; }

    public int Seed { get; set; } = 2024;
    /// <summary>auto | cpu | cuda.</summary>
    public string Device { get; set; } = "auto";
    public Action<PragaProgress>? Progress { get; set; }

    /// <summary>PRAGA's "Simulation" settings (triplet data): 200 epochs, lr 0.001, wd 2e-2, recon 1/3/3, prototype loss from epoch 100.</summary>
    public static PragaOptions Simulation(params string[] modalityColumns) => new() { ModalityColumns = modalityColumns };

    /// <summary>PRAGA's "10x" settings (HLN, SPOTS): 30 epochs, lr 0.01, wd 5e-3, recon 5 per modality (the prototype loss, from epoch 100, never acts).</summary>
    public static PragaOptions TenX(params string[] modalityColumns) => new()
    {
        ModalityColumns = modalityColumns,
        Epochs = 30,
        LearningRate = 0.01,
        WeightDecay = 5e-3,
        ReconstructionWeights = modalityColumns.Select(_ => 5.0).ToArray(),
        PrototypeRefreshEvery = 50,
        PrototypeCount = 10,
    };

    internal double[] ResolvedReconstructionWeights()
    {
        if (ReconstructionWeights is not null) return ReconstructionWeights;
        return ModalityColumns.Length switch
        {
            1 => new[] { 1.0 },
            2 => new[] { 1.0, 3.0 },
            _ => new[] { 1.0, 3.0, 3.0 },
        };
    }

    internal bool UsesMiniBatches(int spots) => spots > MiniBatchThreshold;

    internal int ResolvedLatentDimension() => LatentDimension > 0 ? LatentDimension : ModalityColumns.Length >= 3 ? 128 : 64;

    internal void Validate()
    {
        if (ModalityColumns is null || ModalityColumns.Length is < 1 or > 3)
            throw new ArgumentException($"{nameof(ModalityColumns)} must name 1 to 3 modality columns; got {ModalityColumns?.Length ?? 0}.");
        if (ModalityColumns.Distinct(StringComparer.Ordinal).Count() != ModalityColumns.Length)
            throw new ArgumentException($"{nameof(ModalityColumns)} names a column twice: {string.Join(", ", ModalityColumns)}.");
        if (Clusters < 1) throw new ArgumentOutOfRangeException(nameof(Clusters), Clusters, "need at least one cluster.");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be non-negative.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be non-negative.");
        if (SpatialNeighbors < 1) throw new ArgumentOutOfRangeException(nameof(SpatialNeighbors), SpatialNeighbors, "must be at least 1.");
        if (MiniBatchThreshold < 0) throw new ArgumentOutOfRangeException(nameof(MiniBatchThreshold), MiniBatchThreshold, "must be 0 (always mini-batch) or positive.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1.");
        if (FeatureFanout < 0) throw new ArgumentOutOfRangeException(nameof(FeatureFanout), FeatureFanout, "must be 0 (all neighbours) or positive.");
        if (SpatialFanout < 0) throw new ArgumentOutOfRangeException(nameof(SpatialFanout), SpatialFanout, "must be 0 (all neighbours) or positive.");
        if (FeatureNeighbors < 1) throw new ArgumentOutOfRangeException(nameof(FeatureNeighbors), FeatureNeighbors, "must be at least 1.");
        if (!(Temperature > 0)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "τ must be positive.");
        if (EmaAlpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(EmaAlpha), EmaAlpha, "must be in [0, 1].");
        if (PrototypeRefreshEvery < 1) throw new ArgumentOutOfRangeException(nameof(PrototypeRefreshEvery), PrototypeRefreshEvery, "must be at least 1.");
        if (PcaComponents < 0) throw new ArgumentOutOfRangeException(nameof(PcaComponents), PcaComponents, "must be non-negative.");
        var w = ResolvedReconstructionWeights();
        if (w.Length != ModalityColumns.Length)
            throw new ArgumentException($"{nameof(ReconstructionWeights)} has {w.Length} values for {ModalityColumns.Length} modalities.");
        TorchRuntime.ResolveDevice(Device);
    }
}
