using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>What one TRSMI fit produces.</summary>
internal sealed class TrsmiFitResult
{
    public required TrsmiNetwork Network { get; init; }
    /// <summary>L2-normalised embedding Z* of the training spots, N × d row-major.</summary>
    public required float[] Embedding { get; init; }
    public required int LatentDim { get; init; }
    public required ClusteringHeadTransformer Clustering { get; init; }
    public required List<TrsmiProgress> History { get; init; }
}

/// <summary>
/// TRSMI's training loop: L = Σ_m w_m·MSE(F_m, A_S·Z*·W_m) + w_cl·L_proto(Z*) + λ_g·Σ_m ‖Â_F^m − EMA(Â_F^m)‖_F / M,
/// full-batch SGD with momentum, prototypes seeded by mixture + split/merge and re-seeded periodically, the learnable
/// feature graphs regularised toward their EMA; then PCA + mclust mixture (EEE) on the L2-normalised embedding.
/// </summary>
internal static class TrsmiFitter
{
    public static TrsmiFitResult Fit(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, TrsmiOptions options)
    {
        options.Validate();
        var device = TorchRuntime.ResolveDevice(options.Device);
        int n = coordinates.Rows;
        for (int i = 0; i < modalities.Count; i++)
            if (modalities[i].Rows != n)
                throw new ArgumentException($"modality '{options.ModalityColumns[i]}' has {modalities[i].Rows} rows but there are {n} spots.");
        if (n <= options.Clusters) throw new ArgumentException($"{n} spots cannot be split into {options.Clusters} clusters.");

        torch.manual_seed(options.Seed);
        using var generator = new Generator((ulong)options.Seed, device);
        using var graphs = SectionGraphs.Build(coordinates, modalities, options.SpatialNeighbors, options.FeatureNeighbors, device);
        var inputs = modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32, device: device)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        var network = new TrsmiNetwork(modalities.Select(m => (long)m.Cols).ToArray(), options);
        network.to(device);

        var parameters = network.parameters().Where(p => p.requires_grad).Concat(learnable.SelectMany(g => g.parameters())).ToList();
        using var optimizer = optim.SGD(parameters, options.ResolvedLearningRate(), momentum: options.Momentum, weight_decay: options.WeightDecay);
        var weights = options.ResolvedReconstructionWeights();
        var splitMerge = new SplitMergePrototypes();
        int prototypeCount = options.PrototypeCount > 0 ? options.PrototypeCount : options.Clusters;
        Tensor? prototypes = null;
        var history = new List<TrsmiProgress>(options.Epochs);

        try
        {
            network.train();
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                using var scope = NewDisposeScope();
                var featureValues = learnable.Select(g => g.NormalizedValues()).ToArray();
                using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, featureValues, epoch, options.Epochs, options.AlignmentWarmupEpochs);
                var reconstruction = ReconstructionLoss.Weighted(inputs, forward.Reconstructions, weights);

                Tensor prototypeLoss;
                if (options.PrototypeWeight > 0 && epoch >= options.PrototypeStartEpoch)
                {
                    if (prototypes is null || (epoch - options.PrototypeStartEpoch) % options.PrototypeRefreshEvery == 0)
                    {
                        prototypes?.Dispose();
                        using (no_grad())
                            prototypes = options.SplitMerge
                                ? splitMerge.Fit(forward.Combined, prototypeCount, generator)
                                : FinalClustering.PlainPrototypes(forward.Combined, prototypeCount, generator);
                        prototypes.MoveToOuterDisposeScope();
                    }
                    prototypeLoss = PrototypeContrastiveLoss.Compute(forward.Combined, prototypes!, options.PrototypeTemperature) * options.PrototypeWeight;
                }
                else prototypeLoss = zeros(1, device: device);

                Tensor graphLoss = zeros(1, device: device);
                for (int m = 0; m < learnable.Length; m++) graphLoss = graphLoss + learnable[m].FrobeniusToReference(featureValues[m]);
                graphLoss = graphLoss * (options.GraphRegularizationWeight / learnable.Length);

                var loss = reconstruction + prototypeLoss + graphLoss;
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                network.Gate.Commit(forward.Beta);
                for (int m = 0; m < learnable.Length; m++) learnable[m].UpdateReference(featureValues[m], options.EmaAlpha);

                var progress = new TrsmiProgress(epoch, options.Epochs, loss.item<float>(), reconstruction.item<float>(),
                    prototypeLoss.item<float>(), graphLoss.item<float>(), forward.Beta.item<float>());
                if (!double.IsFinite(progress.Total))
                    throw new InvalidOperationException($"TRSMI's loss became {progress.Total} at epoch {epoch}; lower {nameof(options.LearningRate)}.");
                history.Add(progress);
                options.Progress?.Invoke(progress);
                TorchRuntime.ReleaseUnreachableTensors();
            }

            network.eval();
            float[] embedding;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                var featureValues = learnable.Select(g => g.NormalizedValues()).ToArray();
                using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, featureValues, null, options.Epochs, 0);
                var normalized = nn.functional.normalize(forward.Combined, p: 2, dim: 1);
                embedding = normalized.contiguous().to(CPU).data<float>().ToArray();
            }
            var clustering = FitClusteringHead(embedding, (int)network.LatentDim, options);
            return new TrsmiFitResult
            {
                Network = network,
                Embedding = embedding,
                LatentDim = (int)network.LatentDim,
                Clustering = clustering,
                History = history,
            };
        }
        finally
        {
            prototypes?.Dispose();
            foreach (var g in learnable) g.Dispose();
            foreach (var t in inputs) t.Dispose();
        }
    }

    internal static ClusteringHeadTransformer FitClusteringHead(float[] embedding, int width, TrsmiOptions options) =>
        FinalClustering.FitHead(embedding, width, options.Clusters, options.PcaComponents, options.MixtureModel, options.ClusteringSeed);

    /// <summary>Embeds a section the network was not trained on: its own graphs, feature graphs at their initial value.</summary>
    public static float[] Embed(TrsmiNetwork network, DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, TrsmiOptions options)
    {
        var device = TorchRuntime.ResolveDevice(options.Device);
        using var graphs = SectionGraphs.Build(coordinates, modalities, options.SpatialNeighbors, options.FeatureNeighbors, device);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.to(device);
        network.eval();
        var inputs = modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32, device: device)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        try
        {
            var values = learnable.Select(g => g.InitialNormalizedValues()).ToArray();
            using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, values, null, options.Epochs, 0);
            var normalized = nn.functional.normalize(forward.Combined, p: 2, dim: 1);
            return normalized.contiguous().to(CPU).data<float>().ToArray();
        }
        finally
        {
            foreach (var g in learnable) g.Dispose();
        }
    }
}
