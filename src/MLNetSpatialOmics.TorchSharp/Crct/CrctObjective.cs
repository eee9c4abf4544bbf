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
    private readonly BatchedSection _section;
    private readonly double[] _weights;
    private readonly Generator _prototypeGenerator;
    private readonly Generator _augmentationGenerator;
    private readonly SplitMergePrototypes _splitMerge = new();
    private Tensor? _prototypes;
    private readonly FusedGraphDistance[]? _fusedDistances;   // GraphReference.InitialFused only

    public PragaNetwork Network { get; }
    public OnlineClassStatistics Statistics { get; }
    public SectionGraphs Graphs => _section.Graphs;
    public IReadOnlyList<LearnableFeatureGraph> FeatureGraphs => _section.FeatureGraphs;
    public bool IsMiniBatch => _section.IsMiniBatch;
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
        _section = new BatchedSection(coordinates, modalities, praga, device, praga.UsesMiniBatches(coordinates.Rows));
        long latent = praga.ResolvedLatentDimension();
        Network = new PragaNetwork(modalities.Select(m => (long)m.Cols).ToArray(), latent, praga.RandomFusionInit);
        Network.to(device);
        _weights = praga.ResolvedReconstructionWeights();
        Statistics = new OnlineClassStatistics((int)latent, options.FullCovariance, device);
        if (options.GraphReference == GraphReference.InitialFused)
            _fusedDistances = Network.Fusions.Select((fusion, m) => new FusedGraphDistance(_section.Graphs.Spatial, _section.Graphs.Features[m],
                fusion.SpatialWeight.item<float>(), fusion.FeatureWeight.item<float>())).ToArray();
    }

    public IEnumerable<global::TorchSharp.Modules.Parameter> Parameters() => Network.parameters().Concat(_section.FeatureGraphs.SelectMany(g => g.parameters()));

    /// <summary>
    /// The batches of <paramref name="epoch"/> (the whole section, or spatial blocks). In mini-batch mode the prototypes
    /// are re-seeded first when due, from a block-wise embedding of every spot.
    /// </summary>
    public IEnumerable<GraphBatch> Batches(int epoch)
    {
        if (_section.IsMiniBatch && NeedsLabels(epoch) && IsRefreshDue(epoch))
        {
            using var all = _section.Embed(Network);
            RefreshPrototypes(all);
        }
        return _section.Batches(epoch);
    }

    private bool NeedsLabels(int epoch) => _options.Variant.Augments() || _options.ClusterWeight.At(epoch) > 0;

    /// <summary>
    /// The loss terms of epoch <paramref name="epoch"/>. Side effects, in this order: prototypes are re-seeded when due,
    /// the class statistics absorb this epoch's embeddings, one ξ draw is taken from the augmentation stream.
    /// </summary>
    public CrctLossTerms Losses(int epoch) => _section.IsMiniBatch
        ? throw new InvalidOperationException("this section trains in mini-batches: take the loss terms per batch of Batches(epoch).")
        : Losses(epoch, _section.Batches(epoch).Single());

    /// <summary>The loss terms of <paramref name="epoch"/> on one batch (targets of a block, or the whole section).</summary>
    public CrctLossTerms Losses(int epoch, GraphBatch batch)
    {
        var praga = _options.Praga;
        var variant = _options.Variant;
        double lambda = variant.AugmentsReconstruction() ? _options.AugmentationWeight.At(epoch) : 0.0;
        double beta = _options.ClusterWeight.At(epoch);
        double rho = CovarianceAugmentation.Magnitude(epoch, Math.Max(praga.Epochs, 1), _options.AugmentationMagnitude);

        var featureValues = _section.FeatureValues(batch);
        using var forward = Network.Forward(batch, featureValues);
        var context = forward.Combined;
        var z = batch.SelectTargets(context);
        if (_options.EmbeddingObserver is { } observe && !_section.IsMiniBatch && epoch % _options.EmbeddingObserverEvery == 0)
            observe(epoch, NormalizedRows(z).Data.Select(v => (float)v).ToArray());
        var zero = zeros(1, device: _device);

        var reconstruction = _options.DropRealReconstruction ? zero : ReconstructionLoss.Weighted(batch.Targets, forward.Reconstructions, _weights);

        Tensor graph;
        if (_options.GraphReference == GraphReference.Ema) graph = _section.GraphDistance(batch, featureValues);
        else if (_fusedDistances is not null)
        {
            graph = zero;
            var fusions = Network.Fusions.ToArray();
            for (int m = 0; m < featureValues.Length; m++)
            {
                var initial = _section.FeatureGraphs[m].InitialReference;
                var ids = batch.FeatureEdgeIds[m];
                using var reference = ids is null ? initial.alias() : initial.index_select(0, ids);
                graph = graph + _fusedDistances[m].Distance(fusions[m], featureValues[m], reference, ids);
            }
            graph = graph / featureValues.Length;
        }
        else
        {
            graph = zero;
            for (int m = 0; m < featureValues.Length; m++)
            {
                var initial = _section.FeatureGraphs[m].InitialReference;
                var ids = batch.FeatureEdgeIds[m];
                using var reference = ids is null ? initial.alias() : initial.index_select(0, ids);
                double scale = ids is null ? 1.0 : (double)initial.shape[0] / Math.Max(1, ids.shape[0]);
                graph = graph + (featureValues[m] - reference).square().sum().mul(scale).add(1e-20).sqrt();
            }
            graph = graph / featureValues.Length;
        }
        graph = graph * (praga.GraphRegularizationWeight / 2.0);

        bool needLabels = NeedsLabels(epoch);
        Tensor augmented = zero, cluster = zero;
        int pseudoClasses = 0;
        if (needLabels)
        {
            if (!_section.IsMiniBatch && IsRefreshDue(epoch)) RefreshPrototypes(z);
            pseudoClasses = (int)_prototypes!.shape[0];
            using var labels = PrototypeContrastiveLoss.NearestPrototype(z.detach(), _prototypes);
            Tensor? zTilde = null, contextTilde = null;
            if (!_section.IsMiniBatch) _options.PseudoLabelObserver?.Invoke(epoch, labels.cpu().data<long>().ToArray());
            if (variant.Augments())
            {
                // Statistics see each spot once (the targets); the decoder needs augmented context rows, which in a
                // block also include the targets' neighbours (a full batch's context is its targets).
                Statistics.Update(z, labels);
                using var contextLabels = batch.TargetPositions is null ? labels.alias() : PrototypeContrastiveLoss.NearestPrototype(context.detach(), _prototypes);
                contextTilde = CovarianceAugmentation.Augment(context, contextLabels, Statistics, rho, _augmentationGenerator, _options.FullCovariance);
                zTilde = batch.SelectTargets(contextTilde);
            }
            if (variant.AugmentsReconstruction())
            {
                var decoded = Enumerable.Range(0, Network.ModalityCount).Select(m => Network.Decode(m, contextTilde!, batch)).ToArray();
                augmented = ReconstructionLoss.Weighted(batch.Targets, decoded, _weights);
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
            contextTilde?.Dispose();
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
    public void AfterStep(Tensor[]? kept) => AfterStep(kept, null);

    /// <summary>As <see cref="AfterStep(Tensor[])"/> for the batch the values were computed on.</summary>
    public void AfterStep(Tensor[]? kept, GraphBatch? batch)
    {
        if (kept is null) return;
        for (int m = 0; m < kept.Length; m++)
            _section.FeatureGraphs[m].UpdateReference(kept[m], _options.Praga.EmaAlpha, batch?.FeatureEdgeIds[m]);
        foreach (var t in kept) t.Dispose();
    }

    private bool IsRefreshDue(int epoch) => _prototypes is null || epoch % _options.Praga.PrototypeRefreshEvery == 0;

    private void RefreshPrototypes(Tensor embeddings)
    {
        var praga = _options.Praga;
        int count = praga.PrototypeCount > 0 ? praga.PrototypeCount : praga.Clusters;
        Tensor fresh;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var z = PragaFitter.PrototypeSample(embeddings, _prototypeGenerator);
            if (praga.SplitMerge) fresh = _splitMerge.Fit(z, count, _prototypeGenerator);
            else if (_options.Prototypes == CrctPrototypeMethod.KMeans) fresh = KMeansPrototypes.Fit(z, count, _prototypeGenerator);
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

    // Diagnostics see the embedding as the final labelling does: L2-normalised rows.
    private static DenseMatrix NormalizedRows(Tensor z)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var unit = nn.functional.normalize(z.detach(), p: 2, dim: 1).to_type(ScalarType.Float64).contiguous().cpu();
        var m = new DenseMatrix((int)unit.shape[0], (int)unit.shape[1]);
        unit.data<double>().CopyTo(m.Data, 0);
        return m;
    }

    /// <summary>L2-normalised embedding with the learned feature graphs (eval mode, no gradient), N×d.</summary>
    public Tensor FinalEmbedding()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Network.eval();
        using var combined = _section.Embed(Network);
        return nn.functional.normalize(combined, p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _prototypes?.Dispose();
        if (_fusedDistances is not null) foreach (var d in _fusedDistances) d.Dispose();
        Statistics.Dispose();
        _section.Dispose();
        _prototypeGenerator.Dispose();
        _augmentationGenerator.Dispose();
    }
}
