using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>What one PRAGA fit produces.</summary>
internal sealed class PragaFitResult
{
    public required PragaNetwork Network { get; init; }
    /// <summary>L2-normalised fused embedding of the training spots, N × d row-major.</summary>
    public required float[] Embedding { get; init; }
    public required int LatentDim { get; init; }
    public required ClusteringHeadTransformer Clustering { get; init; }
    public required List<PragaProgress> History { get; init; }
    public required int PrototypeCountUsed { get; init; }
}

/// <summary>PRAGA's training loop on in-memory matrices: the part the estimator, tests and benchmarks share.</summary>
internal static class PragaFitter
{
    public static PragaFitResult Fit(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, PragaOptions options)
    {
        options.Validate();
        var device = TorchRuntime.ResolveDevice(options.Device);
        int n = coordinates.Rows;
        foreach (var (m, i) in modalities.Select((m, i) => (m, i)))
            if (m.Rows != n)
                throw new ArgumentException($"modality '{options.ModalityColumns[i]}' has {m.Rows} rows but there are {n} spots.");
        if (n <= options.Clusters) throw new ArgumentException($"{n} spots cannot be split into {options.Clusters} clusters.");

        torch.manual_seed(options.Seed);
        using var generator = new Generator((ulong)options.Seed, device);
        using var graphs = SectionGraphs.Build(coordinates, modalities, options.SpatialNeighbors, options.FeatureNeighbors, device);
        var inputs = modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32, device: device)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        long latent = options.ResolvedLatentDimension();
        var network = new PragaNetwork(modalities.Select(m => (long)m.Cols).ToArray(), latent, options.RandomFusionInit);
        network.to(device);

        var parameters = network.parameters().Concat(learnable.SelectMany(g => g.parameters())).ToList();
        using var optimizer = optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay);
        var weights = options.ResolvedReconstructionWeights();
        var splitMerge = new SplitMergePrototypes();
        int prototypeCount = options.PrototypeCount > 0 ? options.PrototypeCount : options.Clusters;
        Tensor? prototypes = null;
        var history = new List<PragaProgress>(options.Epochs);

        try
        {
            network.train();
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                using var scope = NewDisposeScope();
                var featureValues = learnable.Select(g => g.NormalizedValues()).ToArray();
                using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, featureValues);
                var reconstruction = ReconstructionLoss.Weighted(inputs, forward.Reconstructions, weights);

                Tensor prototypeLoss;
                if (options.PrototypeWeight > 0 && epoch >= options.PrototypeStartEpoch)
                {
                    if (prototypes is null || (epoch - options.PrototypeStartEpoch) % options.PrototypeRefreshEvery == 0)
                    {
                        prototypes?.Dispose();
                        using (no_grad())
                        {
                            prototypes = options.SplitMerge
                                ? splitMerge.Fit(forward.Combined, prototypeCount, generator)
                                : FinalClustering.PlainPrototypes(forward.Combined, prototypeCount, generator);
                        }
                        prototypes.MoveToOuterDisposeScope();
                    }
                    prototypeLoss = PrototypeContrastiveLoss.Compute(forward.Combined, prototypes!, options.Temperature) * options.PrototypeWeight;
                }
                else prototypeLoss = zeros(1, device: device);

                Tensor graphLoss = zeros(1, device: device);
                for (int m = 0; m < learnable.Length; m++) graphLoss = graphLoss + learnable[m].FrobeniusToReference(featureValues[m]);
                graphLoss = graphLoss * (options.GraphRegularizationWeight / learnable.Length);

                var loss = reconstruction + prototypeLoss + graphLoss;
                double total = loss.item<float>();
                if (!double.IsFinite(total))
                    throw new InvalidOperationException($"PRAGA training diverged at epoch {epoch} (loss {total}); " +
                        $"lower {nameof(PragaOptions.LearningRate)} (now {options.LearningRate}) or scale the modality features.");
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                for (int m = 0; m < learnable.Length; m++) learnable[m].UpdateReference(featureValues[m], options.EmaAlpha);

                var progress = new PragaProgress(epoch, options.Epochs, total, reconstruction.item<float>(),
                    prototypeLoss.item<float>(), graphLoss.item<float>(), (int)(prototypes?.shape[0] ?? 0));
                history.Add(progress);
                options.Progress?.Invoke(progress);
            }

            network.eval();
            float[] embedding;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                var featureValues = learnable.Select(g => g.NormalizedValues()).ToArray();
                using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, featureValues);
                var normalized = nn.functional.normalize(forward.Combined, p: 2, dim: 1);
                embedding = normalized.contiguous().to(CPU).data<float>().ToArray();
            }
            var clustering = FitClusteringHead(embedding, (int)latent, options);
            return new PragaFitResult
            {
                Network = network,
                Embedding = embedding,
                LatentDim = (int)latent,
                Clustering = clustering,
                History = history,
                PrototypeCountUsed = (int)(prototypes?.shape[0] ?? 0),
            };
        }
        finally
        {
            prototypes?.Dispose();
            foreach (var g in learnable) g.Dispose();
            foreach (var t in inputs) t.Dispose();
        }
    }

    internal static ClusteringHeadTransformer FitClusteringHead(float[] embedding, int width, PragaOptions options) =>
        FinalClustering.FitHead(embedding, width, options.Clusters, options.PcaComponents, options.MixtureModel, options.ClusteringSeed);

    /// <summary>Embeds a section the network was not trained on: its own graphs, feature graphs at their initial value.</summary>
    public static float[] Embed(PragaNetwork network, DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, PragaOptions options)
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
            using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, values);
            var normalized = nn.functional.normalize(forward.Combined, p: 2, dim: 1);
            return normalized.contiguous().to(CPU).data<float>().ToArray();
        }
        finally
        {
            foreach (var g in learnable) g.Dispose();
        }
    }
}
