using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
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
/// full-batch SGD with momentum (or one step per Cluster-GCN block above <see cref="TrsmiOptions.MiniBatchThreshold"/>),
/// prototypes seeded by mixture + split/merge and re-seeded periodically, the learnable feature graphs regularised toward
/// their EMA; then PCA + mclust mixture (EEE) on the L2-normalised embedding.
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
        // After the graphs: their construction's temporaries would otherwise stay in the heap and fragment it.
        using var freedMemory = TorchRuntime.KeepFreedMemoryWhileFitting();
        var inputs = modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32, device: device)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        var network = new TrsmiNetwork(modalities.Select(m => (long)m.Cols).ToArray(), options);
        network.to(device);

        var parameters = network.parameters().Where(p => p.requires_grad).Concat(learnable.SelectMany(g => g.parameters())).ToList();
        bool miniBatch = options.UsesMiniBatches(n);
        double momentum = miniBatch && options.StepPerBatch ? options.MiniBatchMomentum : options.Momentum;
        var edgeDecay = BlockEdgeDecay.Applies(miniBatch, options.StepPerBatch, options.WeightDecay)
            ? new BlockEdgeDecay(learnable, options.WeightDecay) : null;
        using var optimizer = new SgdStepper(parameters, options.ResolvedLearningRate(), momentum, options.WeightDecay, edgeDecay?.Parameters);
        var weights = options.ResolvedReconstructionWeights();
        var splitMerge = new SplitMergePrototypes();
        int prototypeCount = options.PrototypeCount > 0 ? options.PrototypeCount : options.Clusters;
        Tensor? prototypes = null;
        var history = new List<TrsmiProgress>(options.Epochs);

        var blocks = miniBatch
            ? new TrsmiBlocks(graphs, inputs, coordinates, options.BatchSize, options.Seed, device) : null;
        try
        {
            network.train();
            if (blocks is not null) TrainInBlocks(network, learnable, blocks, optimizer, edgeDecay, options, generator, history);
            else
            {
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
                    optimizer.ClearGradients();
                    loss.backward();
                    optimizer.Step();
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
            }

            network.eval();
            float[] embedding;
            if (blocks is not null)
            {
                using var combined = blocks.Embed(network, learnable, initialGraphs: false, epoch: null, options.Epochs);
                using var normalized = nn.functional.normalize(combined, p: 2, dim: 1);
                embedding = normalized.contiguous().to(CPU).data<float>().ToArray();
            }
            else
            {
                using (no_grad())
                using (var scope = NewDisposeScope())
                {
                    var featureValues = learnable.Select(g => g.NormalizedValues()).ToArray();
                    using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, featureValues, null, options.Epochs, 0);
                    var normalized = nn.functional.normalize(forward.Combined, p: 2, dim: 1);
                    embedding = normalized.contiguous().to(CPU).data<float>().ToArray();
                }
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

    /// <summary>
    /// Mini-batch epochs (<see cref="TrsmiOptions.MiniBatchThreshold"/>): each block, in a seeded order, runs the whole
    /// network on its induced subgraph with the full-batch objective restricted to it (the graph regulariser and EMA on
    /// the block's feature edges) and takes one optimiser step — or adds its share-weighted gradient to the epoch's one
    /// step (<see cref="TrsmiOptions.StepPerBatch"/>). Prototypes are seeded at the refresh epochs from the
    /// block-wise embedding of every spot (a sample of at most 100k rows). Progress reports target-weighted means of the
    /// blocks' loss terms and the β committed at the end of the epoch.
    /// </summary>
    private static void TrainInBlocks(TrsmiNetwork network, LearnableFeatureGraph[] learnable, TrsmiBlocks blocks,
        SgdStepper optimizer, BlockEdgeDecay? edgeDecay, TrsmiOptions options, Generator generator, List<TrsmiProgress> history)
    {
        var weights = options.ResolvedReconstructionWeights();
        var splitMerge = new SplitMergePrototypes();
        int prototypeCount = options.PrototypeCount > 0 ? options.PrototypeCount : options.Clusters;
        var device = learnable[0].Weights.device;
        Tensor? prototypes = null;
        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                bool prototypeActive = options.PrototypeWeight > 0 && epoch >= options.PrototypeStartEpoch;
                if (prototypeActive && (prototypes is null || (epoch - options.PrototypeStartEpoch) % options.PrototypeRefreshEvery == 0))
                {
                    using var scope = NewDisposeScope();
                    using var _ = no_grad();
                    var all = blocks.Embed(network, learnable, initialGraphs: false, epoch, options.Epochs);
                    var sample = PragaFitter.PrototypeSample(all, generator);
                    prototypes?.Dispose();
                    prototypes = (options.SplitMerge
                        ? splitMerge.Fit(sample, prototypeCount, generator)
                        : FinalClustering.PlainPrototypes(sample, prototypeCount, generator)).DetachFromDisposeScope();
                }
                double total = 0, reconTotal = 0, protoTotal = 0, graphTotal = 0;
                if (!options.StepPerBatch) optimizer.ClearGradients();
                foreach (int b in blocks.EpochOrder(epoch))
                {
                    using var scope = NewDisposeScope();
                    using var block = blocks.Build(b);
                    double share = (double)block.NodeCount / blocks.SpotCount;
                    var inputs = blocks.Inputs(block);
                    var featureValues = TrsmiBlocks.FeatureValues(block, learnable, initial: false);
                    using var forward = network.Forward(inputs, block.Spatial, block.Features, featureValues, epoch, options.Epochs, options.AlignmentWarmupEpochs);
                    var reconstruction = ReconstructionLoss.Weighted(inputs, forward.Reconstructions, weights);
                    var prototypeLoss = prototypeActive
                        ? PrototypeContrastiveLoss.Compute(forward.Combined, prototypes!, options.PrototypeTemperature) * options.PrototypeWeight
                        : zeros(1, device: device);
                    Tensor graphLoss = zeros(1, device: device);
                    for (int m = 0; m < learnable.Length; m++)
                        graphLoss = graphLoss + learnable[m].FrobeniusToReference(featureValues[m], block.FeatureEdgeIds[m]);
                    graphLoss = graphLoss * (options.GraphRegularizationWeight / learnable.Length);

                    var loss = reconstruction + prototypeLoss + graphLoss;
                    double value = loss.item<float>();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException($"TRSMI's loss became {value} at epoch {epoch} (block {b}); lower {nameof(options.LearningRate)}.");
                    if (options.StepPerBatch)
                    {
                        optimizer.ClearGradients();
                        loss.backward();
                        edgeDecay?.AddToGradients(block.Nodes);
                        optimizer.Step();
                    }
                    else (loss * share).backward();
                    network.Gate.Commit(forward.Beta);
                    for (int m = 0; m < learnable.Length; m++) learnable[m].UpdateReference(featureValues[m], options.EmaAlpha, block.FeatureEdgeIds[m]);

                    total += value * share;
                    reconTotal += reconstruction.item<float>() * share;
                    protoTotal += prototypeLoss.item<float>() * share;
                    graphTotal += graphLoss.item<float>() * share;
                }
                if (!options.StepPerBatch) optimizer.Step();
                var progress = new TrsmiProgress(epoch, options.Epochs, total, reconTotal, protoTotal, graphTotal, network.Gate.Current);
                history.Add(progress);
                options.Progress?.Invoke(progress);
                TorchRuntime.ReleaseUnreachableTensors();
            }
        }
        finally
        {
            prototypes?.Dispose();
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
            if (options.UsesMiniBatches(coordinates.Rows))
            {
                // Above the threshold, the blocks and induced subgraphs training used: the same model, section-size memory.
                var blocks = new TrsmiBlocks(graphs, inputs, coordinates, options.BatchSize, options.Seed, device);
                var combined = blocks.Embed(network, learnable, initialGraphs: true, epoch: null, options.Epochs);
                return nn.functional.normalize(combined, p: 2, dim: 1).contiguous().to(CPU).data<float>().ToArray();
            }
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
