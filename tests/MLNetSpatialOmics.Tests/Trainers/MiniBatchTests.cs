using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class MiniBatchTests
{
    private static (SyntheticSection Section, SectionGraphs Graphs, Tensor[] Inputs, Tensor[] SpatialInputs) Prepare(int side, int seed)
    {
        var s = SyntheticSection.Create(side, 3, new[] { 6, 4 }, seed);
        var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 3, 6, CPU);
        var inputs = s.Modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32)).ToArray();
        return (s, graphs, inputs, GraphBatch.SpatialInputsOf(graphs, inputs));
    }

    [TestMethod]
    public void BlocksPartitionTheSpotsAndAreSpatiallyCompact()
    {
        var (s, graphs, inputs, spatial) = Prepare(20, 1);
        using var _ = graphs;
        var planner = new MiniBatchPlanner(graphs, inputs, spatial, s.Coordinates, batchSize: 50, fanout: 0, seed: 3, CPU);
        var all = planner.Blocks.SelectMany(b => b).OrderBy(i => i).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, 400).ToArray(), all);
        Assert.AreEqual(8, planner.Blocks.Count);
        // Z-order blocks of a 20×20 grid: every block's bounding box is far smaller than the section.
        foreach (var block in planner.Blocks)
        {
            double w = block.Max(i => s.Coordinates[i, 0]) - block.Min(i => s.Coordinates[i, 0]);
            double h = block.Max(i => s.Coordinates[i, 1]) - block.Min(i => s.Coordinates[i, 1]);
            Assert.IsTrue(w * h <= 400 / 2.0, $"block spans {w}×{h}");
        }
        var first = planner.EpochOrder(0);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 8).ToArray(), first);
        CollectionAssert.AreEqual(first, planner.EpochOrder(0));
    }

    [TestMethod]
    public void ABlockReproducesTheFullGraphRowsOfItsTargets()
    {
        var (s, graphs, inputs, spatial) = Prepare(16, 2);
        using var _ = graphs;
        using var scope = NewDisposeScope();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        var planner = new MiniBatchPlanner(graphs, inputs, spatial, s.Coordinates, batchSize: 40, fanout: 0, seed: 3, CPU);
        using var full = GraphBatch.Full(graphs, inputs, spatial);
        manual_seed(4);
        var z = randn(256, 5);
        using var batch = planner.Build(2, 0);
        var context = tensor(batch.ContextNodes!.Select(c => (long)c).ToArray());
        var targets = tensor(batch.TargetNodes!.Select(t => (long)t).ToArray());
        // Context = targets plus their spatial neighbours; targets are found at TargetPositions.
        Assert.IsTrue(batch.ContextCount > batch.TargetCount);
        Assert.IsTrue(context.index_select(0, batch.TargetPositions!).eq(targets).all().item<bool>());
        // Decoder block: (A_s·Z)[targets] from Z at the context rows only.
        var expectedDecode = graphs.Spatial.Propagate(z).index_select(0, targets);
        Assert.IsTrue(batch.Decode(z.index_select(0, context)).allclose(expectedDecode, rtol: 1e-5, atol: 1e-6));
        for (int m = 0; m < 2; m++)
        {
            var allValues = learnable[m].NormalizedValues();
            var blockValues = learnable[m].ValuesFor(batch.FeatureEdgeIds[m]);
            // At the initial weights the epoch degrees are exact, so the block's values are the full graph's.
            Assert.IsTrue(blockValues.allclose(allValues.index_select(0, batch.FeatureEdgeIds[m]!), rtol: 1e-5, atol: 1e-7));
            var expected = graphs.Features[m].Propagate(inputs[m], allValues).index_select(0, context);
            Assert.IsTrue(batch.PropagateFeatures(m, blockValues).allclose(expected, rtol: 1e-5, atol: 1e-6));
            Assert.IsTrue(batch.SpatialInputs[m].allclose(spatial[m].index_select(0, context)));
            Assert.IsTrue(batch.Targets[m].equal(inputs[m].index_select(0, targets)).all().item<bool>());
        }
        foreach (var g in learnable) g.Dispose();
    }

    /// <summary>
    /// Without sampling a block's structure is built once: a later epoch's batch reuses the same edge-id tensor, which
    /// outlives the disposal of the batch that first held it; with a fan-out each epoch draws its own edges.
    /// </summary>
    [TestMethod]
    public void BlockStructuresAreKeptAcrossEpochsOnlyWithoutSampling()
    {
        var (s, graphs, inputs, spatial) = Prepare(16, 6);
        using var _ = graphs;
        using var planner = new MiniBatchPlanner(graphs, inputs, spatial, s.Coordinates, batchSize: 40, fanout: 0, seed: 3, CPU);
        Tensor firstIds;
        long firstSum;
        using (var first = planner.Build(1, 0))
        {
            firstIds = first.FeatureEdgeIds[0]!;
            firstSum = firstIds.sum().item<long>();
        }
        using (var later = planner.Build(1, 7))
        {
            Assert.AreSame(firstIds, later.FeatureEdgeIds[0], "epoch 7 rebuilt block 1's feature rows");
            Assert.AreEqual(firstSum, later.FeatureEdgeIds[0]!.sum().item<long>());
            Assert.IsTrue(later.Targets[0].equal(inputs[0].index_select(0, tensor(later.TargetNodes!.Select(t => (long)t).ToArray()))).all().item<bool>());
        }

        using var sampled = new MiniBatchPlanner(graphs, inputs, spatial, s.Coordinates, batchSize: 40, fanout: 2, seed: 3, CPU);
        using var epoch0 = sampled.Build(1, 0);
        using var epoch1 = sampled.Build(1, 1);
        Assert.AreNotSame(epoch0.FeatureEdgeIds[0], epoch1.FeatureEdgeIds[0]);
        Assert.IsFalse(SameIds(epoch0.FeatureEdgeIds[0]!, epoch1.FeatureEdgeIds[0]!), "two epochs drew the same fan-out sample");
    }

    private static bool SameIds(Tensor a, Tensor b) => a.shape[0] == b.shape[0] && a.equal(b).all().item<bool>();

    [TestMethod]
    public void FanOutKeepsAtMostFanOutEdgesPerRowAndIsUnbiasedOnConstants()
    {
        var (s, graphs, inputs, spatial) = Prepare(16, 3);
        using var _ = graphs;
        using var scope = NewDisposeScope();
        // Modality 0's features are all ones: a row's propagated value is then the sum of its (scaled) edge weights.
        var ones = new[] { torch.ones(256, 6), inputs[1] };
        var planner = new MiniBatchPlanner(graphs, ones, spatial, s.Coordinates, batchSize: 64, fanout: 3, seed: 5, CPU);
        using var batch = planner.Build(1, 0);
        var ids = batch.FeatureEdgeIds[0]!;
        var perRow = bincount(graphs.Features[0].Rows.index_select(0, ids), minlength: 256);
        Assert.IsTrue(perRow.max().item<long>() <= 3, "a row kept more edges than the fan-out");
        var structure = graphs.Features[0].Structure;
        var degrees = batch.ContextNodes!.Select(c => (float)(structure.RowPtr[c + 1] - structure.RowPtr[c])).ToArray();
        Assert.IsTrue(degrees.Any(d => d > 3), "the test graph needs rows above the fan-out");
        var sums = batch.PropagateFeatures(0, torch.ones(ids.shape[0])).select(1, 0);
        Assert.IsTrue(sums.allclose(tensor(degrees), rtol: 1e-5, atol: 1e-5), "scaled samples must sum to the full degree");
    }

    [TestMethod]
    public void SpatialFanOutSamplesTheDecoderRowsWithoutBias()
    {
        var (s, graphs, inputs, spatial) = Prepare(16, 4);
        using var _ = graphs;
        using var scope = NewDisposeScope();
        var full = new MiniBatchPlanner(graphs, inputs, spatial, s.Coordinates, batchSize: 64, fanout: 0, seed: 5, CPU);
        var sampled = new MiniBatchPlanner(graphs, inputs, spatial, s.Coordinates, batchSize: 64, fanout: 0, seed: 5, CPU, spatialFanout: 2);
        using var a = full.Build(2, 1);
        using var b = sampled.Build(2, 1);
        CollectionAssert.AreEqual(a.TargetNodes, b.TargetNodes);
        Assert.IsLessThan(a.ContextCount, b.ContextCount, "sampling two neighbours per target must shrink the context");
        // A_s applied to ones gives each target's row sum: the scaled sample must reproduce it exactly.
        var structure = graphs.Spatial.Structure;
        var values = graphs.Spatial.Values.data<float>().ToArray();
        var rowSums = a.TargetNodes!.Select(t =>
        {
            float sum = 0;
            for (long p = structure.RowPtr[t]; p < structure.RowPtr[t + 1]; p++) sum += values[p];
            return sum;
        }).ToArray();
        Assert.IsTrue(a.TargetNodes!.Any(t => structure.RowPtr[t + 1] - structure.RowPtr[t] > 2), "the test graph needs rows above the fan-out");
        var decoded = b.Decode(ones(b.ContextCount, 1)).select(1, 0);
        var expected = tensor(rowSums);
        // Each sampled edge carries value·degree/2; sums of 2 such terms equal the row sum only on rows of equal weights,
        // so compare the expectation instead: the mean over many epochs' samples converges to the row sum.
        var mean = zeros(b.TargetCount);
        const int draws = 400;
        for (int epoch = 0; epoch < draws; epoch++)
        {
            using var batch = sampled.Build(2, epoch);
            mean += batch.Decode(ones(batch.ContextCount, 1)).select(1, 0) / draws;
        }
        Assert.IsTrue(mean.allclose(expected, rtol: 0.05, atol: 0.01), "the sampled decoder is biased");
        Assert.IsFalse(decoded.allclose(expected, rtol: 1e-4, atol: 1e-5), "one draw should differ from the exact rows somewhere");
    }

    [TestMethod]
    public void MiniBatchPragaIsDeterministicAndRecoversTheDomains()
    {
        var s = SyntheticSection.Create(14, 3, new[] { 12, 8 }, seed: 7);
        PragaOptions Options() => new()
        {
            ModalityColumns = new[] { "A", "B" }, Clusters = 3, Epochs = 40, LearningRate = 0.003, WeightDecay = 5e-3,
            LatentDimension = 16, PrototypeStartEpoch = 25, PrototypeRefreshEvery = 10, FeatureNeighbors = 8, PcaComponents = 8,
            Seed = 2, Device = "cpu", MiniBatchThreshold = 0, BatchSize = 50,
        };
        var a = PragaFitter.Fit(s.Coordinates, s.Modalities, Options());
        var b = PragaFitter.Fit(s.Coordinates, s.Modalities, Options());
        CollectionAssert.AreEqual(a.Embedding, b.Embedding);
        Assert.AreEqual(40, a.History.Count);
        Assert.IsTrue(a.History[^1].Reconstruction < 0.8 * a.History[0].Reconstruction, "reconstruction did not fall");
        Assert.IsTrue(a.History.Skip(25).All(h => h.Prototype != 0), "the prototype loss never acted");
        var labels = Labels(a);
        double ari = SpatialClusteringEvaluator.Evaluate(s.Truth, labels).AdjustedRandIndex;
        Assert.IsTrue(ari >= 0.8, $"mini-batch PRAGA ARI {ari:F3}");
        a.Network.Dispose();
        b.Network.Dispose();
    }

    [TestMethod]
    public void MiniBatchCrctRunsEveryTermAndEmbedsEverySpot()
    {
        var s = SyntheticSection.Create(12, 3, new[] { 10, 6 }, seed: 8);
        var options = new CrctOptions
        {
            Praga = new PragaOptions
            {
                ModalityColumns = new[] { "A", "B" }, Clusters = 3, Epochs = 12, LatentDimension = 8, FeatureNeighbors = 6,
                PcaComponents = 6, PrototypeRefreshEvery = 5, Seed = 1, Device = "cpu", MiniBatchThreshold = 0, BatchSize = 40,
            },
            AugmentationWeight = StepSchedule.Constant(0.5),
            ClusterWeight = StepSchedule.Constant(1.0),
        };
        var result = CrctFitter.Fit(s.Coordinates, s.Modalities, options);
        Assert.AreEqual(144 * 8, result.Embedding.Length);
        Assert.IsTrue(result.History.All(h => h.Augmented > 0 && h.Cluster != 0), "an augmentation term never acted");
        for (int i = 0; i < 144; i++)
        {
            double norm = 0;
            for (int j = 0; j < 8; j++) norm += result.Embedding[i * 8 + j] * result.Embedding[i * 8 + j];
            Assert.AreEqual(1.0, norm, 1e-4, $"spot {i} was not embedded");
        }
        result.Network.Dispose();
    }

    private static int[] Labels(PragaFitResult result)
    {
        var embedding = new MLNetSpatialOmics.Numerics.DenseMatrix(result.Embedding.Length / result.LatentDim, result.LatentDim);
        for (int i = 0; i < embedding.Data.Length; i++) embedding.Data[i] = result.Embedding[i];
        result.Clustering.Score(embedding, out var labels);
        return labels;
    }
}
