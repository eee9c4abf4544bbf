using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>One epoch's losses and gate, passed to <see cref="TrsmiOptions.Progress"/>.</summary>
public readonly record struct TrsmiProgress(int Epoch, int Epochs, double Total, double Reconstruction, double Prototype, double Graph, double Beta);

/// <summary>
/// Options of <see cref="TrsmiTrainer"/>. Defaults follow the TRSMI paper's setup (k = 10/20, α = 0.9, w_cl = 1,
/// w_m = 5, τ = 2, full-batch SGD with lr 0.01 for two modalities and 0.001 for three) where it states them, and
/// PRAGA's released settings (which TRSMI builds on) where it does not (epochs, weight decay, momentum, prototype
/// schedule, PCA + EEE head). The four ablation switches of the paper's table are <see cref="UseRpr"/>,
/// <see cref="UseAlignment"/>, <see cref="UseMultiScaleAppnp"/> and <see cref="UseScheduledGate"/>.
/// </summary>
public sealed class TrsmiOptions
{
    /// <summary>Preprocessed feature columns, one per modality (1 to 3), e.g. RNA, ADT, ATAC.</summary>
    public string[] ModalityColumns { get; set; } = { "RNA", "ADT", "ATAC" };
    public string XColumn { get; set; } = SectionColumns.X;
    public string YColumn { get; set; } = SectionColumns.Y;
    public int Clusters { get; set; } = 5;

    public int Epochs { get; set; } = 200;
    /// <summary>Learning rate; 0 = the paper's (0.01 for one or two modalities, 0.001 for three).</summary>
    public double LearningRate { get; set; }
    public double WeightDecay { get; set; } = 2e-2;
    public double Momentum { get; set; } = 0.9;
    /// <summary>Reconstruction weight per modality; null = the paper's 5 for every modality.</summary>
    public double[]? ReconstructionWeights { get; set; }

    /// <summary>Spatial kNN size (the paper's k = 10).</summary>
    public int SpatialNeighbors { get; set; } = 10;
    /// <summary>Feature kNN size (the paper's k = 20).</summary>
    public int FeatureNeighbors { get; set; } = 20;
    /// <summary>Latent size d; 0 = 64, or 128 with three modalities (as PRAGA).</summary>
    public int LatentDimension { get; set; }

    // --- Ablation switches (the paper's table) ---
    /// <summary>RPR encoder (zero-initialised enhancement, gate, row normalisation); off = plain Â·(F·W).</summary>
    public bool UseRpr { get; set; } = true;
    /// <summary>Cross-graph alignment; off = Z̃_m = Z_m.</summary>
    public bool UseAlignment { get; set; } = true;
    /// <summary>Multi-scale APPNP; off = a single APPNP scale (<see cref="SingleScale"/>).</summary>
    public bool UseMultiScaleAppnp { get; set; } = true;
    /// <summary>Learnable, monotonically cooled β; off = a constant β (<see cref="FixedBeta"/>).</summary>
    public bool UseScheduledGate { get; set; } = true;

    // --- TRSMI's parts ---
    /// <summary>Initial RPR gate α.</summary>
    public double EncoderGate { get; set; } = 0.1;
    /// <summary>Alignment temperature τ (the paper's τ = 2).</summary>
    public double AlignmentTemperature { get; set; } = 2.0;
    /// <summary>Kept correspondences per spot (row top-k of S).</summary>
    public int AlignmentTopK { get; set; } = 10;
    /// <summary>Width dₐ of W_q, W_k; 0 = d.</summary>
    public int AlignmentDimension { get; set; }
    /// <summary>Epochs at the start during which the alignment's cross terms are detached.</summary>
    public int AlignmentWarmupEpochs { get; set; } = 10;
    /// <summary>
    /// Start each projection W_m of Z̃_m = [Z_m ‖ context]·W_m at [I; 0] (Z̃ = Z at the first pass; the paper does not
    /// say how W_m is initialised). False = PyTorch's default Kaiming-uniform W_m, which scrambles Z at the start.
    /// </summary>
    public bool AlignmentNearIdentityInit { get; set; } = true;
    /// <summary>
    /// Hold the self block of W_m at I, so Z̃_m = Z_m + context·W_m,ctx + b_m and only the context half learns (the
    /// aligned context complements Z rather than re-projecting it). False = the paper's literal fully learnable W_m,
    /// whose self block adds a learnable d × d map in series with the fusion MLP; on the triplet simulation that extra
    /// reparametrisation alone cost ≈ 0.01 ARI on seeds 1 and 4 (0.974 / 0.975 against 0.985 / 0.991), while the context
    /// half stayed too small to change a label either way (README, TRSMI section).
    /// </summary>
    public bool AlignmentFixedSelfPath { get; set; } = true;
    /// <summary>Rows per block of the top-k search (memory O(block·N)).</summary>
    public int AlignmentBlockRows { get; set; } = 512;
    /// <summary>Initial local-refinement gate α ∈ (0, 1).</summary>
    public double LocalGate { get; set; } = 0.1;
    public (int Steps, double Alpha)[] AppnpScales { get; set; } = MultiScaleAppnp.PaperScales.ToArray();
    /// <summary>The single scale used when <see cref="UseMultiScaleAppnp"/> is off.</summary>
    public (int Steps, double Alpha) SingleScale { get; set; } = (4, 0.15);
    /// <summary>Initial logit b of β = sigmoid(b) (the paper's β₀; sigmoid(2) ≈ 0.88).</summary>
    public double InitialBetaLogit { get; set; } = 2.0;
    /// <summary>Where the cooling ceiling of β ends.</summary>
    public double BetaFloor { get; set; } = 0.2;
    /// <summary>β when <see cref="UseScheduledGate"/> is off.</summary>
    public double FixedBeta { get; set; } = 0.5;

    // --- Shared losses ---
    /// <summary>τ_c of the prototype contrastive loss (the paper's τ = 2).</summary>
    public double PrototypeTemperature { get; set; } = 2.0;
    /// <summary>w_cl.</summary>
    public double PrototypeWeight { get; set; } = 1.0;
    /// <summary>First epoch (0-based) with the prototype loss.</summary>
    public int PrototypeStartEpoch { get; set; } = 100;
    public int PrototypeRefreshEvery { get; set; } = 50;
    /// <summary>Initial prototype count before split/merge; 0 = <see cref="Clusters"/>.</summary>
    public int PrototypeCount { get; set; }
    public bool SplitMerge { get; set; } = true;
    /// <summary>EMA rate of the feature-graph reference (the paper's α = 0.9).</summary>
    public double EmaAlpha { get; set; } = 0.9;
    /// <summary>λ_g.</summary>
    public double GraphRegularizationWeight { get; set; } = 1.0;

    /// <summary>PCA components of the embedding fed to the mixture (0 = no PCA).</summary>
    public int PcaComponents { get; set; } = 20;
    /// <summary>mclust model of the final mixture (PRAGA's EEE).</summary>
    public MixtureModelName MixtureModel { get; set; } = MixtureModelName.EEE;
    /// <summary>Seed of the final mixture (PRAGA's 2020).</summary>
    public int ClusteringSeed { get; set; } = 2020;
    /// <summary>
    /// Sections with more spots than this train in mini-batches (as <c>PragaOptions.MiniBatchThreshold</c>): Cluster-GCN
    /// blocks of <see cref="BatchSize"/> spatially contiguous spots, each trained on the subgraph it induces (the whole
    /// network — encoders, alignment, APPNP, decoders — on the block's spots and the edges between them, renormalised
    /// within the block), one optimiser step per block; prototypes are seeded from a block-wise embedding of every spot,
    /// and the final embedding (and a new section's, above the threshold) is computed with the same blocks.
    /// 0 = always mini-batch; <see cref="int.MaxValue"/> = always full batch.
    /// </summary>
    public int MiniBatchThreshold { get; set; } = 200_000;
    /// <summary>
    /// Spots per block. Edges leaving a block are dropped, so larger blocks lose less of the graph; the cross-graph
    /// alignment searches its top-k within the block, so an epoch costs O(N·BatchSize·dₐ) for that search (memory
    /// O(<see cref="AlignmentBlockRows"/>·BatchSize)) — the full batch's O(N²·dₐ) when BatchSize = N.
    /// </summary>
    public int BatchSize { get; set; } = 16_384;
    /// <summary>
    /// Mini-batch optimisation: true (default) takes one optimiser step per block, with momentum
    /// <see cref="MiniBatchMomentum"/>; false accumulates every block's gradient, weighted by its share of the spots, into
    /// one step per epoch with <see cref="Momentum"/> (the full batch's optimiser dynamics, each block's terms on its
    /// induced subgraph). Triplet simulation, 4 blocks of 324 spots, seed 1: per-block steps reached ARI 0.994 without
    /// momentum and 0.619 with the full batch's 0.9; accumulation reached 0.959 (full batch: 0.985).
    /// </summary>
    public bool StepPerBatch { get; set; } = true;
    /// <summary>
    /// SGD momentum of per-block steps (<see cref="StepPerBatch"/>). 0 by default: blocks are spatially contiguous, so
    /// their gradients differ from block to block, and momentum carried them across blocks into a drift that full-batch
    /// TRSMI never makes (see <see cref="StepPerBatch"/> for the figures).
    /// </summary>
    public double MiniBatchMomentum { get; set; }
    public int Seed { get; set; } = 2024;
    /// <summary>auto | cpu | cuda.</summary>
    public string Device { get; set; } = "auto";
    public Action<TrsmiProgress>? Progress { get; set; }

    /// <summary>
    /// Settings for simulated sections on a regular grid (the SpatialGlue triplet): the paper's defaults except two
    /// values taken from PRAGA's own "Simulation" preset, each measured on the triplet with the full model:
    /// a spatial kNN of 3 (k_s = 10 gave ARI 0.910 / 0.904 on seeds 0 / 1 with RNA+ADT+ATAC, k_s = 3 gave 0.986 / 0.974 —
    /// ten neighbours on the grid reach across domain boundaries that the encoders and decoders then smooth away), and
    /// lr 0.001 for any number of modalities (the paper's lr 0.01 for two modalities gave RNA+ADT ARI 0.885 ± 0.13 over
    /// seeds 0–4, lr 0.001 gave 0.960; with three modalities the paper's rate is already 0.001).
    /// </summary>
    public static TrsmiOptions Simulation(params string[] modalityColumns) => new()
    {
        ModalityColumns = modalityColumns ?? throw new ArgumentNullException(nameof(modalityColumns)),
        SpatialNeighbors = 3,
        LearningRate = 0.001,
    };

    internal bool UsesMiniBatches(int spots) => spots > MiniBatchThreshold;
    internal double ResolvedLearningRate() => LearningRate > 0 ? LearningRate : ModalityColumns.Length >= 3 ? 0.001 : 0.01;
    internal double[] ResolvedReconstructionWeights() => ReconstructionWeights ?? ModalityColumns.Select(_ => 5.0).ToArray();
    internal int ResolvedLatentDimension() => LatentDimension > 0 ? LatentDimension : ModalityColumns.Length >= 3 ? 128 : 64;
    internal int ResolvedAlignmentDimension() => AlignmentDimension > 0 ? AlignmentDimension : ResolvedLatentDimension();
    internal IReadOnlyList<(int Steps, double Alpha)> ResolvedScales() => UseMultiScaleAppnp ? AppnpScales : new[] { SingleScale };

    internal void Validate()
    {
        if (ModalityColumns is null || ModalityColumns.Length is < 1 or > 3)
            throw new ArgumentException($"{nameof(ModalityColumns)} must name 1 to 3 modality columns; got {ModalityColumns?.Length ?? 0}.");
        if (ModalityColumns.Distinct(StringComparer.Ordinal).Count() != ModalityColumns.Length)
            throw new ArgumentException($"{nameof(ModalityColumns)} names a column twice: {string.Join(", ", ModalityColumns)}.");
        if (Clusters < 1) throw new ArgumentOutOfRangeException(nameof(Clusters), Clusters, "need at least one cluster.");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be non-negative.");
        if (LearningRate < 0) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive (or 0 for the paper's).");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be non-negative.");
        if (SpatialNeighbors < 1) throw new ArgumentOutOfRangeException(nameof(SpatialNeighbors), SpatialNeighbors, "must be at least 1.");
        if (FeatureNeighbors < 1) throw new ArgumentOutOfRangeException(nameof(FeatureNeighbors), FeatureNeighbors, "must be at least 1.");
        if (!(AlignmentTemperature > 0)) throw new ArgumentOutOfRangeException(nameof(AlignmentTemperature), AlignmentTemperature, "τ must be positive.");
        if (AlignmentTopK < 1) throw new ArgumentOutOfRangeException(nameof(AlignmentTopK), AlignmentTopK, "must be at least 1.");
        if (AlignmentWarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(AlignmentWarmupEpochs), AlignmentWarmupEpochs, "must be non-negative.");
        if (AlignmentBlockRows < 1) throw new ArgumentOutOfRangeException(nameof(AlignmentBlockRows), AlignmentBlockRows, "must be at least 1.");
        if (LocalGate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(LocalGate), LocalGate, "must be in (0, 1).");
        if (AppnpScales is null || AppnpScales.Length == 0) throw new ArgumentException($"{nameof(AppnpScales)} needs at least one (K, α).");
        foreach (var (k, a) in AppnpScales.Append(SingleScale))
            if (k < 0 || a is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(AppnpScales), $"each APPNP scale needs K ≥ 0 and α in (0, 1]; got ({k}, {a}).");
        if (BetaFloor is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(BetaFloor), BetaFloor, "must be in [0, 1].");
        if (FixedBeta is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(FixedBeta), FixedBeta, "must be in [0, 1].");
        if (!(PrototypeTemperature > 0)) throw new ArgumentOutOfRangeException(nameof(PrototypeTemperature), PrototypeTemperature, "τ must be positive.");
        if (PrototypeRefreshEvery < 1) throw new ArgumentOutOfRangeException(nameof(PrototypeRefreshEvery), PrototypeRefreshEvery, "must be at least 1.");
        if (EmaAlpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(EmaAlpha), EmaAlpha, "must be in [0, 1].");
        if (PcaComponents < 0) throw new ArgumentOutOfRangeException(nameof(PcaComponents), PcaComponents, "must be non-negative (0 = no PCA).");
        if (MiniBatchThreshold < 0) throw new ArgumentOutOfRangeException(nameof(MiniBatchThreshold), MiniBatchThreshold, "must be 0 (always mini-batch) or positive.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "a block needs at least one spot.");
        if (MiniBatchMomentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MiniBatchMomentum), MiniBatchMomentum, "must be in [0, 1).");
        var w = ResolvedReconstructionWeights();
        if (w.Length != ModalityColumns.Length)
            throw new ArgumentException($"{nameof(ReconstructionWeights)} has {w.Length} values for {ModalityColumns.Length} modalities.");
        TorchRuntime.ResolveDevice(Device);
    }

    /// <summary>A copy without the progress callback: what a fitted model keeps.</summary>
    internal TrsmiOptions Snapshot()
    {
        var copy = (TrsmiOptions)MemberwiseClone();
        copy.ModalityColumns = (string[])ModalityColumns.Clone();
        copy.ReconstructionWeights = ResolvedReconstructionWeights();
        copy.AppnpScales = AppnpScales.ToArray();
        copy.LatentDimension = ResolvedLatentDimension();
        copy.LearningRate = ResolvedLearningRate();
        copy.Progress = null;
        return copy;
    }
}
