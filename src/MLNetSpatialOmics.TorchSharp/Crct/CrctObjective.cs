using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// CRCT's training state and objective on one section: PRAGA's network and learnable feature graphs (the shared
/// blocks) plus CRCT's own parts — pseudo-labels from the nearest prototype, online class statistics, covariance-guided
/// augmentation, the augmented reconstruction (Eqs. 9–11), the graph regulariser (Eq. 12) and the cluster-contrastive
/// loss over the extended set (Eq. 13), combined by Eq. 14 with the λ/β schedules.
/// </summary>
internal sealed class CrctObjective : IDisposable
{
    private readonly CrctOptions _options;
    private readonly Device _device;
    private readonly SectionGraphs _graphs;
    private readonly Tensor[] _inputs;
    private readonly LearnableFeatureGraph[] _learnable;
    private readonly GraphDecoder[] _decoders;
    private readonly double[] _weights;
    private readonly Generator _prototypeGenerator;
    private readonly Generator _augmentationGenerator;
    private readonly SplitMergePrototypes _splitMerge = new();
    private Tensor? _prototypes;

    public PragaNetwork Network { get; }
    public OnlineClassStatistics Statistics { get; }
    public SectionGraphs Graphs => _graphs;
    public IReadOnlyList<LearnableFeatureGraph> FeatureGraphs => _learnable;
    public Tensor? Prototypes => _prototypes;
    public long LatentDim => Network.LatentDim;

    public CrctObjective(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, CrctOptions options, Device device)
    {
        _options = options;
        _device = device;
        var praga = options.Praga;
        torch.manual_seed(praga.Seed);
        _prototypeGenerator = new Generator((ulong)praga.Seed, device);
        // A separate stream for ξ, so the augmentation draws do not depend on how many draws prototype seeding made.
        _augmentationGenerator = new Generator((ulong)praga.Seed + 1, device);
        _graphs = SectionGraphs.Build(coordinates, modalities, praga.SpatialNeighbors, praga.FeatureNeighbors, device);
        _inputs = modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32, device: device)).ToArray();
        _learnable = _graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        long latent = praga.ResolvedLatentDimension();
        Network = new PragaNetwork(modalities.Select(m => (long)m.Cols).ToArray(), latent, praga.RandomFusionInit);
        Network.to(device);
        _decoders = FindDecoders(Network);
        _weights = praga.ResolvedReconstructionWeights();
        Statistics = new OnlineClassStatistics((int)latent, options.FullCovariance, device);
    }

    public IEnumerable<global::TorchSharp.Modules.Parameter> Parameters() => Network.parameters().Concat(_learnable.SelectMany(g => g.parameters()));

    // PRAGA's network keeps its decoders private; they are reachable as registered submodules "decoders.<m>".
    private static GraphDecoder[] FindDecoders(PragaNetwork network)
    {
        var found = network.named_modules()
            .Where(m => m.name.StartsWith("decoders.", StringComparison.Ordinal) && m.module is GraphDecoder)
            .ToDictionary(m => m.name, m => (GraphDecoder)m.module);
        var decoders = new GraphDecoder[network.ModalityCount];
        for (int m = 0; m < decoders.Length; m++)
            decoders[m] = found.TryGetValue($"decoders.{m}", out var d) ? d
                : throw new InvalidOperationException($"PRAGA's network has no decoder submodule 'decoders.{m}'; CRCT needs it to decode augmented embeddings.");
        return decoders;
    }

    /// <summary>
    /// The loss terms of epoch <paramref name="epoch"/>. Side effects, in this order: prototypes are re-seeded when due,
    /// the class statistics absorb this epoch's embeddings, one ξ draw is taken from the augmentation stream.
    /// </summary>
    public CrctLossTerms Losses(int epoch)
    {
        var praga = _options.Praga;
        var variant = _options.Variant;
        double lambda = variant.AugmentsReconstruction() ? _options.AugmentationWeight.At(epoch) : 0.0;
        double beta = _options.ClusterWeight.At(epoch);
        double rho = CovarianceAugmentation.Magnitude(epoch, Math.Max(praga.Epochs, 1), _options.AugmentationMagnitude);

        var featureValues = _learnable.Select(g => g.NormalizedValues()).ToArray();
        using var forward = Network.Forward(_inputs, _graphs.Spatial, _graphs.Features, featureValues);
        var z = forward.Combined;
        var zero = zeros(1, device: _device);

        var reconstruction = _options.DropRealReconstruction ? zero : ReconstructionLoss.Weighted(_inputs, forward.Reconstructions, _weights);

        Tensor graph = zero;
        for (int m = 0; m < _learnable.Length; m++)
        {
            var distance = _options.GraphReference == GraphReference.Ema
                ? _learnable[m].FrobeniusToReference(featureValues[m])
                : (featureValues[m] - _learnable[m].InitialNormalizedValues()).square().sum().add(1e-20).sqrt();
            graph = graph + distance;
        }
        graph = graph * (praga.GraphRegularizationWeight / (2.0 * _learnable.Length));

        bool needLabels = variant.Augments() || beta > 0;
        Tensor augmented = zero, cluster = zero;
        int pseudoClasses = 0;
        if (needLabels)
        {
            RefreshPrototypesIfDue(epoch, z);
            pseudoClasses = (int)_prototypes!.shape[0];
            using var labels = PrototypeContrastiveLoss.NearestPrototype(z.detach(), _prototypes);
            Tensor? zTilde = null;
            if (variant.Augments())
            {
                Statistics.Update(z, labels);
                zTilde = CovarianceAugmentation.Augment(z, labels, Statistics, rho, _augmentationGenerator, _options.FullCovariance);
            }
            if (variant.AugmentsReconstruction())
            {
                var decoded = _decoders.Select(d => d.Forward(zTilde!, _graphs.Spatial)).ToArray();
                augmented = ReconstructionLoss.Weighted(_inputs, decoded, _weights);
                foreach (var t in decoded) t.Dispose();
            }
            if (beta > 0)
            {
                if (variant.AugmentsCluster())
                {
                    using var extended = cat(new[] { z, zTilde! }, 0);
                    using var extendedLabels = cat(new[] { labels, labels }, 0);
                    cluster = PrototypeContrastiveLoss.Compute(extended, _prototypes, praga.Temperature, extendedLabels);
                }
                else cluster = PrototypeContrastiveLoss.Compute(z, _prototypes, praga.Temperature, labels);
            }
            zTilde?.Dispose();
        }

        var total = reconstruction + graph + augmented * lambda + cluster * beta;
        return new CrctLossTerms
        {
            Reconstruction = reconstruction, Augmented = augmented, Graph = graph, Cluster = cluster, Total = total,
            Lambda = lambda, Beta = beta, Rho = rho, PseudoClasses = pseudoClasses, FeatureValues = featureValues,
        };
    }

    /// <summary>
    /// Detached copies of this epoch's learned edge values for <see cref="AfterStep"/>, owned by no dispose scope;
    /// null when the regulariser does not use the EMA reference.
    /// </summary>
    public Tensor[]? KeepForEma(CrctLossTerms terms) => _options.GraphReference != GraphReference.Ema ? null
        : terms.FeatureValues.Select(v => v.detach().clone().DetachFromDisposeScope()).ToArray();

    /// <summary>
    /// EMA references follow the learned graphs. Call outside the epoch's dispose scope: the updated reference is
    /// created here and must outlive the epoch.
    /// </summary>
    public void AfterStep(Tensor[]? kept)
    {
        if (kept is null) return;
        for (int m = 0; m < _learnable.Length; m++) _learnable[m].UpdateReference(kept[m], _options.Praga.EmaAlpha);
        foreach (var t in kept) t.Dispose();
    }

    private void RefreshPrototypesIfDue(int epoch, Tensor z)
    {
        if (_prototypes is not null && epoch % _options.Praga.PrototypeRefreshEvery != 0) return;
        var praga = _options.Praga;
        int count = praga.PrototypeCount > 0 ? praga.PrototypeCount : praga.Clusters;
        Tensor fresh;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            if (praga.SplitMerge) fresh = _splitMerge.Fit(z, count, _prototypeGenerator);
            else
            {
                var gmm = DiagonalGaussianMixture.Fit(z, count, _prototypeGenerator);
                fresh = nn.functional.normalize(gmm.Means, p: 2, dim: 1).to_type(z.dtype);
            }
            fresh.MoveToOuterDisposeScope();
        }
        fresh.DetachFromDisposeScope();
        _prototypes?.Dispose();
        _prototypes = fresh;
        if (_options.ResetStatisticsOnRefresh) Statistics.Reset();
    }

    /// <summary>L2-normalised embedding with the learned feature graphs (eval mode, no gradient), N×d.</summary>
    public Tensor FinalEmbedding()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Network.eval();
        var values = _learnable.Select(g => g.NormalizedValues()).ToArray();
        using var forward = Network.Forward(_inputs, _graphs.Spatial, _graphs.Features, values);
        return nn.functional.normalize(forward.Combined, p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _prototypes?.Dispose();
        Statistics.Dispose();
        foreach (var g in _learnable) g.Dispose();
        foreach (var t in _inputs) t.Dispose();
        _graphs.Dispose();
        _prototypeGenerator.Dispose();
        _augmentationGenerator.Dispose();
    }
}
