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
        using var section = new BatchedSection(coordinates, modalities, options, device, options.UsesMiniBatches(n));
        // After the graphs: their construction's temporaries would otherwise stay in the heap and fragment it.
        using var freedMemory = TorchRuntime.KeepFreedMemoryWhileFitting();
        long latent = options.ResolvedLatentDimension();
        var network = new PragaNetwork(modalities.Select(m => (long)m.Cols).ToArray(), latent, options.RandomFusionInit);
        network.to(device);

        var parameters = network.parameters().Concat(section.FeatureGraphs.SelectMany(g => g.parameters())).ToList();
        var edgeDecay = BlockEdgeDecay.Applies(section.IsMiniBatch, options.StepPerBatch, options.WeightDecay)
            ? new BlockEdgeDecay(section.FeatureGraphs, options.WeightDecay) : null;
        using var optimizer = new SgdStepper(parameters, options.LearningRate, options.Momentum, options.WeightDecay, edgeDecay?.Parameters);
        var weights = options.ResolvedReconstructionWeights();
        var splitMerge = new SplitMergePrototypes();
        int prototypeCount = options.PrototypeCount > 0 ? options.PrototypeCount : options.Clusters;
        Tensor? prototypes = null;
        var history = new List<PragaProgress>(options.Epochs);

        Tensor SeedPrototypes(Tensor z)
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            using var sample = PrototypeSample(z, generator);
            var fresh = options.SplitMerge ? splitMerge.Fit(sample, prototypeCount, generator)
                : FinalClustering.PlainPrototypes(sample, prototypeCount, generator);
            return fresh.DetachFromDisposeScope();
        }

        try
        {
            network.train();
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                bool prototypeActive = options.PrototypeWeight > 0 && epoch >= options.PrototypeStartEpoch;
                bool refresh = prototypeActive && (prototypes is null || (epoch - options.PrototypeStartEpoch) % options.PrototypeRefreshEvery == 0);
                if (refresh && section.IsMiniBatch)
                {
                    // Streaming form: seed from the current embedding of every spot, computed block by block.
                    using var all = section.Embed(network);
                    prototypes?.Dispose();
                    prototypes = SeedPrototypes(all);
                }
                double total = 0, reconTotal = 0, protoTotal = 0, graphTotal = 0;
                bool accumulate = section.IsMiniBatch && !options.StepPerBatch;
                if (accumulate) optimizer.ClearGradients();
                foreach (var batch in section.Batches(epoch))
                {
                    double share = (double)batch.TargetCount / n;
                    using var scope = NewDisposeScope();
                    var featureValues = section.FeatureValues(batch);
                    using var forward = network.Forward(batch, featureValues);
                    var reconstruction = ReconstructionLoss.Weighted(batch.Targets, forward.Reconstructions, weights);
                    var z = batch.SelectTargets(forward.Combined);

                    Tensor prototypeLoss;
                    if (prototypeActive)
                    {
                        if (refresh && !section.IsMiniBatch)
                        {
                            prototypes?.Dispose();
                            prototypes = SeedPrototypes(z);
                        }
                        prototypeLoss = PrototypeContrastiveLoss.Compute(z, prototypes!, options.Temperature) * options.PrototypeWeight;
                    }
                    else prototypeLoss = zeros(1, device: device);

                    var graphLoss = section.GraphDistance(batch, featureValues) * options.GraphRegularizationWeight;
                    var loss = reconstruction + prototypeLoss + graphLoss;
                    double value = loss.item<float>();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException($"PRAGA training diverged at epoch {epoch} (loss {value}); " +
                            $"lower {nameof(PragaOptions.LearningRate)} (now {options.LearningRate}) or scale the modality features.");
                    if (accumulate) (loss * share).backward();
                    else
                    {
                        optimizer.ClearGradients();
                        loss.backward();
                        edgeDecay?.AddToGradients(batch.TargetNodes!);
                        optimizer.Step();
                    }
                    section.UpdateReferences(batch, featureValues, options.EmaAlpha);

                    // Epoch losses are target-weighted means over the batches (the loss itself for a full batch).
                    total += value * share;
                    reconTotal += reconstruction.item<float>() * share;
                    protoTotal += prototypeLoss.item<float>() * share;
                    graphTotal += graphLoss.item<float>() * share;
                }

                if (accumulate) optimizer.Step();
                var progress = new PragaProgress(epoch, options.Epochs, total, reconTotal, protoTotal, graphTotal, (int)(prototypes?.shape[0] ?? 0));
                history.Add(progress);
                options.Progress?.Invoke(progress);
                TorchRuntime.ReleaseUnreachableTensors();
            }

            network.eval();
            float[] embedding;
            using (var combined = section.Embed(network))
            using (var normalized = nn.functional.normalize(combined, p: 2, dim: 1))
                embedding = normalized.contiguous().to(CPU).data<float>().ToArray();
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
        }
    }

    /// <summary>At most <paramref name="limit"/> rows drawn without replacement (all rows when there are fewer): prototype seeding at scale.</summary>
    internal static Tensor PrototypeSample(Tensor z, Generator generator, int limit = 100_000)
    {
        if (z.shape[0] <= limit) return z.alias();
        using var order = randperm(z.shape[0], generator: generator, device: z.device);
        using var chosen = order.narrow(0, 0, limit);
        return z.index_select(0, chosen);
    }

    internal static ClusteringHeadTransformer FitClusteringHead(float[] embedding, int width, PragaOptions options) =>
        FinalClustering.FitHead(embedding, width, options.Clusters, options.PcaComponents, options.MixtureModel, options.ClusteringSeed,
            options.MixtureSplitMergeSearch);

    /// <summary>
    /// Embeds a section the network was not trained on: its own graphs, feature graphs at their initial value, in
    /// blocks when it is larger than the mini-batch threshold.
    /// </summary>
    public static float[] Embed(PragaNetwork network, DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, PragaOptions options)
    {
        var device = TorchRuntime.ResolveDevice(options.Device);
        using var section = new BatchedSection(coordinates, modalities, options, device, options.UsesMiniBatches(coordinates.Rows));
        network.to(device);
        network.eval();
        using var combined = section.Embed(network);
        using var normalized = nn.functional.normalize(combined, p: 2, dim: 1);
        return normalized.contiguous().to(CPU).data<float>().ToArray();
    }
}
