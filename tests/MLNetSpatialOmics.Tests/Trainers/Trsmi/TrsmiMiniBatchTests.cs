using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Trsmi;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class TrsmiMiniBatchTests
{
    private int _threads;

    // One torch thread: on a shared 2-core machine two threads spin at OpenMP barriers and run these fits several times slower.
    [TestInitialize]
    public void OneThread()
    {
        _threads = get_num_threads();
        set_num_threads(1);
    }

    [TestCleanup]
    public void RestoreThreads() => set_num_threads(_threads);

    private static SparseGraph Sparse(Tensor dense)
    {
        int n = (int)dense.shape[0];
        var values = dense.data<double>().ToArray();
        var rowPtr = new long[n + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                if (values[i * n + j] != 0) { cols.Add(j); vals.Add(values[i * n + j]); }
            rowPtr[i + 1] = cols.Count;
        }
        return SparseGraph.FromCsr(new CsrMatrix(n, n, rowPtr, cols.ToArray(), vals.ToArray()), CPU);
    }

    private static Tensor Dense(SparseGraph g, Tensor? values = null)
    {
        var result = zeros(g.NodeCount, g.NodeCount, dtype: ScalarType.Float64);
        result.index_put_((values ?? g.Values).to_type(ScalarType.Float64), g.Rows, g.Cols);
        return result;
    }

    private static Tensor Restrict(Tensor dense, int[] nodes)
    {
        var index = tensor(nodes.Select(i => (long)i).ToArray());
        return dense.index_select(0, index).index_select(1, index);
    }

    [TestMethod]
    public void InducedSubgraphEqualsTheRestrictedAndRenormalisedGraph()
    {
        const int n = 40;
        using var scope = NewDisposeScope();
        var rawSpatial = DenseGraphs.RandomSymmetric(n, 0.15, seed: 1, weighted: true);
        var rawFeature = DenseGraphs.RandomSymmetric(n, 0.25, seed: 2, weighted: true);
        using var spatial = Sparse(DenseGraphs.Normalized(rawSpatial));
        using var feature = Sparse(DenseGraphs.Normalized(rawFeature));
        var subgraphs = new InducedSubgraphs(spatial, new[] { feature }, CPU);
        var nodes = new[] { 0, 3, 4, 7, 11, 12, 13, 20, 21, 25, 30, 31, 38 };
        using var block = subgraphs.Build(nodes);

        Assert.AreEqual(nodes.Length, block.NodeCount);
        var expectedSpatial = DenseGraphs.Normalized(Restrict(rawSpatial, nodes));
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(Dense(block.Spatial), expectedSpatial), 1e-6);
        var expectedFeature = DenseGraphs.Normalized(Restrict(rawFeature, nodes));
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(Dense(block.Features[0]), expectedFeature), 1e-6);
        // Only edges with both ends in the block, and every one of them.
        Assert.AreEqual(Restrict(rawFeature, nodes).count_nonzero().item<long>(), block.Features[0].EdgeCount);

        // The global edge ids point at the same (global) edges as the local rows/cols.
        var ids = block.FeatureEdgeIds[0];
        var map = tensor(nodes.Select(i => (long)i).ToArray());
        Assert.IsTrue(feature.Rows.index_select(0, ids).equal(map.index_select(0, block.Features[0].Rows)).all().item<bool>());
        Assert.IsTrue(feature.Cols.index_select(0, ids).equal(map.index_select(0, block.Features[0].Cols)).all().item<bool>());

        // The learnable graph on the block: restrict the full graph's pre-normalisation values ReLU((P + Pᵀ)/2) + I
        // (at the initial weights P = Â_f, symmetric and non-negative), then renormalise within the block.
        using var learnable = new LearnableFeatureGraph(feature);
        var p = Dense(feature);
        var expectedLearnable = DenseGraphs.Normalized(Restrict(p + eye(n, dtype: ScalarType.Float64), nodes));
        var induced = learnable.InducedValues(ids, block.Features[0]);
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(Dense(block.Features[0], induced), expectedLearnable), 1e-6);
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(learnable.InitialInducedValues(ids, block.Features[0]), induced), 1e-7);
        induced.sum().backward();
        Assert.IsTrue(learnable.Weights.grad!.index_select(0, ids).abs().sum().item<float>() > 0, "no gradient reached the block's edge weights");

        // A block holding every spot is the whole graph.
        using var all = subgraphs.Build(Enumerable.Range(0, n).ToArray());
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(all.Spatial.Values, spatial.Values), 1e-6);
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(learnable.InducedValues(all.FeatureEdgeIds[0], all.Features[0]), learnable.NormalizedValues()), 1e-7);
    }

    [TestMethod]
    public void BlocksPartitionTheSpotsAndKeepTheirReverseEdges()
    {
        var s = SyntheticSection.Create(20, 3, new[] { 6, 4 }, seed: 1);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 3, 6, CPU);
        var inputs = s.Modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32)).ToArray();
        var blocks = new TrsmiBlocks(graphs, inputs, s.Coordinates, batchSize: 64, seed: 3, CPU);
        Assert.AreEqual(7, blocks.Blocks.Count);   // ⌈400 / 64⌉
        CollectionAssert.AreEqual(Enumerable.Range(0, 400).ToArray(), blocks.Blocks.SelectMany(b => b).OrderBy(i => i).ToArray());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 7).ToArray(), blocks.EpochOrder(4));
        CollectionAssert.AreEqual(blocks.EpochOrder(4), blocks.EpochOrder(4));
        using var learnable = new LearnableFeatureGraph(graphs.Features[0]);
        var reverse = graphs.Features[0].ReverseEdgeIndex();
        for (int b = 0; b < blocks.Blocks.Count; b++)
        {
            using var block = blocks.Build(b);
            Assert.IsTrue(blocks.Inputs(block)[1].equal(inputs[1].index_select(0, block.NodeIndex)).all().item<bool>());
            // Induced supports are symmetric: every kept edge's reverse edge is kept too.
            var kept = block.FeatureEdgeIds[0];
            Assert.IsTrue(isin(reverse.index_select(0, kept), kept).all().item<bool>(), $"block {b} lost a reverse edge");
            // Renormalised within the block: the induced spatial graph's degree-scaled rows are a proper normalisation.
            Assert.IsTrue(block.Spatial.Values.gt(0).all().item<bool>());
        }
    }

    private static TrsmiOptions Options(int seed, int epochs, int threshold, int batchSize)
    {
        var options = TrsmiTrainerTests.FastOptions(2, 3, seed, epochs);
        options.PrototypeStartEpoch = 6;
        options.PrototypeRefreshEvery = 3;
        options.MiniBatchThreshold = threshold;
        options.BatchSize = batchSize;
        return options;
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void OneBlockHoldingTheSectionTrainsLikeTheFullBatch(bool stepPerBatch)
    {
        var s = SyntheticSection.Create(9, 3, new[] { 12, 8 }, seed: 5);
        var full = TrsmiFitter.Fit(s.Coordinates, s.Modalities, Options(seed: 3, epochs: 10, threshold: int.MaxValue, batchSize: 1));
        var options = Options(seed: 3, epochs: 10, threshold: 0, batchSize: 81);
        // Per-block steps with the full batch's momentum, or one accumulated step per epoch (which uses it anyway).
        options.StepPerBatch = stepPerBatch;
        options.MiniBatchMomentum = options.Momentum;
        var block = TrsmiFitter.Fit(s.Coordinates, s.Modalities, options);
        Assert.AreEqual(full.Embedding.Length, block.Embedding.Length);
        double max = full.Embedding.Zip(block.Embedding).Max(p => Math.Abs(p.First - p.Second));
        Console.WriteLine($"one block vs full batch: max |Δ| {max:G3}");
        Assert.IsTrue(max < 1e-4, $"one block differs from the full batch by {max:G3}");
        for (int e = 0; e < 10; e++)
        {
            Assert.AreEqual(full.History[e].Total, block.History[e].Total, 1e-4 * Math.Abs(full.History[e].Total), $"epoch {e} loss");
            Assert.AreEqual(full.History[e].Beta, block.History[e].Beta, 1e-6, $"epoch {e} β");
        }
        Assert.IsTrue(full.History.Skip(6).All(h => h.Prototype != 0), "the prototype path was not exercised");
        // Two blocks drop the edges between them: the comparison above is not vacuous.
        var halves = TrsmiFitter.Fit(s.Coordinates, s.Modalities, Options(seed: 3, epochs: 10, threshold: 0, batchSize: 41));
        Assert.IsTrue(full.Embedding.Zip(halves.Embedding).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);
        full.Network.Dispose();
        block.Network.Dispose();
        halves.Network.Dispose();
    }

    private static int[] Labels(TrsmiFitResult result)
    {
        var embedding = new DenseMatrix(result.Embedding.Length / result.LatentDim, result.LatentDim);
        for (int i = 0; i < embedding.Data.Length; i++) embedding.Data[i] = result.Embedding[i];
        result.Clustering.Score(embedding, out var labels);
        return labels.Select(l => (int)l).ToArray();
    }

    [TestMethod]
    public void MiniBatchTrsmiIsDeterministicAndRecoversTheDomains()
    {
        var s = SyntheticSection.Create(14, 3, new[] { 12, 8 }, seed: 7, noise: 1.5);
        TrsmiOptions MiniBatch()
        {
            return Options(seed: 2, epochs: 30, threshold: 0, batchSize: 50);   // 4 blocks of 49, a step per block
        }
        var a = TrsmiFitter.Fit(s.Coordinates, s.Modalities, MiniBatch());
        var b = TrsmiFitter.Fit(s.Coordinates, s.Modalities, MiniBatch());
        CollectionAssert.AreEqual(a.Embedding, b.Embedding);
        Assert.AreEqual(30, a.History.Count);
        Assert.IsTrue(a.History[^1].Reconstruction < 0.8 * a.History[0].Reconstruction, "reconstruction did not fall");
        for (int e = 1; e < 30; e++) Assert.IsTrue(a.History[e].Beta <= a.History[e - 1].Beta + 1e-7, "β rose during training");
        double ari = SpatialClusteringEvaluator.Evaluate(s.Truth, Labels(a)).AdjustedRandIndex;
        Console.WriteLine($"mini-batch TRSMI ARI {ari:F4}");
        Assert.IsTrue(ari >= 0.9, $"mini-batch TRSMI ARI {ari:F3}");   // measured 1.000
        a.Network.Dispose();
        b.Network.Dispose();
    }

    [TestMethod]
    public void SavedModelKeepsTheMiniBatchOptionsAndScoresNewSectionsInBlocks()
    {
        var train = SyntheticSection.Create(9, 3, new[] { 12, 8 }, seed: 20);
        var other = SyntheticSection.Create(10, 3, new[] { 12, 8 }, seed: 21);
        var options = Options(seed: 1, epochs: 4, threshold: 50, batchSize: 30);
        var model = new TrsmiTrainer(new MLContext(seed: 0), options).Fit(TrsmiTrainerTests.View(train));
        var writer = new ModelStateWriter();
        model.SaveState(writer);
        var reloaded = TrsmiTransformer.LoadState(new MLContext(seed: 0), ModelStateReader.FromBytes(writer.ToBytes()));
        Assert.AreEqual(50, reloaded.Options.MiniBatchThreshold);
        Assert.AreEqual(30, reloaded.Options.BatchSize);
        double[] Embedding(TrsmiTransformer t) => DataViewReader.ReadVectorColumn(t.Transform(TrsmiTrainerTests.View(other)), SectionColumns.Embedding).Data;
        var original = Embedding(model);
        CollectionAssert.AreEqual(original, Embedding(reloaded));
        // The new section (100 spots > 50) was embedded in blocks: the full-batch embedding is a different one.
        reloaded.Options.MiniBatchThreshold = int.MaxValue;
        Assert.IsTrue(original.Zip(Embedding(reloaded)).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);
    }

    [TestMethod]
    public void AccumulatedBlockGradientsTakeOneStepPerEpoch()
    {
        var s = SyntheticSection.Create(14, 3, new[] { 12, 8 }, seed: 7, noise: 1.5);
        var options = Options(seed: 2, epochs: 30, threshold: 0, batchSize: 50);
        options.StepPerBatch = false;
        var result = TrsmiFitter.Fit(s.Coordinates, s.Modalities, options);
        double ari = SpatialClusteringEvaluator.Evaluate(s.Truth, Labels(result)).AdjustedRandIndex;
        Console.WriteLine($"accumulated mini-batch TRSMI ARI {ari:F4}");
        Assert.IsTrue(ari >= 0.9, $"accumulated mini-batch TRSMI ARI {ari:F3}");
        var perBlock = TrsmiFitter.Fit(s.Coordinates, s.Modalities, Options(seed: 2, epochs: 30, threshold: 0, batchSize: 50));
        CollectionAssert.AreNotEqual(perBlock.Embedding, result.Embedding);
        result.Network.Dispose();
        perBlock.Network.Dispose();
    }

    [TestMethod]
    public void BadMiniBatchOptionsAreNamed()
    {
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrsmiTrainer(new MLContext(), new TrsmiOptions { MiniBatchThreshold = -1 }));
        Assert.AreEqual("MiniBatchThreshold", ex.ParamName);
        ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrsmiTrainer(new MLContext(), new TrsmiOptions { BatchSize = 0 }));
        Assert.AreEqual("BatchSize", ex.ParamName);
        ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrsmiTrainer(new MLContext(), new TrsmiOptions { MiniBatchMomentum = 1 }));
        Assert.AreEqual("MiniBatchMomentum", ex.ParamName);
    }
}
