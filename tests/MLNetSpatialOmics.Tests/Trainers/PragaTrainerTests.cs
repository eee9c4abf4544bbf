using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class PragaTrainerTests
{
    private static readonly string[] Names = { "RNA", "ADT", "ATAC" };

    private static IDataView View(SyntheticSection s)
    {
        var columns = new List<InMemoryColumn>
        {
            InMemoryColumn.Single(SectionColumns.X, Enumerable.Range(0, s.Coordinates.Rows).Select(i => (float)s.Coordinates[i, 0]).ToArray()),
            InMemoryColumn.Single(SectionColumns.Y, Enumerable.Range(0, s.Coordinates.Rows).Select(i => (float)s.Coordinates[i, 1]).ToArray()),
        };
        for (int m = 0; m < s.Modalities.Length; m++) columns.Add(InMemoryColumn.Vector(Names[m], s.Modalities[m]));
        return new InMemoryDataView(columns);
    }

    private static PragaOptions FastOptions(int modalities, int clusters, int seed = 1) => new()
    {
        ModalityColumns = Names.Take(modalities).ToArray(),
        Clusters = clusters,
        Epochs = 40,
        LearningRate = 0.003,
        WeightDecay = 5e-3,
        LatentDimension = 16,
        PrototypeStartEpoch = 25,
        PrototypeRefreshEvery = 10,
        FeatureNeighbors = 8,
        PcaComponents = 8,
        Seed = seed,
        Device = "cpu",
    };

    private static double AdjustedRand(int[] a, int[] b)
    {
        var table = new Dictionary<(int, int), double>();
        var ra = new Dictionary<int, double>();
        var rb = new Dictionary<int, double>();
        for (int i = 0; i < a.Length; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            ra[a[i]] = ra.GetValueOrDefault(a[i]) + 1;
            rb[b[i]] = rb.GetValueOrDefault(b[i]) + 1;
        }
        static double P(double x) => x * (x - 1) / 2;
        double index = table.Values.Sum(P), sa = ra.Values.Sum(P), sb = rb.Values.Sum(P), total = P(a.Length);
        double expected = sa * sb / total;
        return (index - expected) / ((sa + sb) / 2 - expected);
    }

    [TestMethod]
    public void FusionWeightsStartAtHalfUnlessPragasRandomDrawIsAsked()
    {
        Assert.IsFalse(new PragaOptions().RandomFusionInit, "the default is the equal non-negative start");
        long[] dims = { 6, 5, 4 };
        manual_seed(3);
        using var half = new PragaNetwork(dims, 8, randomFusionInit: false);
        foreach (var f in half.Fusions)
            Assert.AreEqual((0.5f, 0.5f), (f.SpatialWeight.item<float>(), f.FeatureWeight.item<float>()));

        float[] Draw(int seed)
        {
            manual_seed(seed);
            using var random = new PragaNetwork(dims, 8, randomFusionInit: true);
            return random.Fusions.SelectMany(f => new[] { f.SpatialWeight.item<float>(), f.FeatureWeight.item<float>() }).ToArray();
        }
        var first = Draw(3);
        CollectionAssert.AreEqual(first, Draw(3), "the random draw is seeded");
        CollectionAssert.AreNotEqual(first, Draw(4));
        // PyTorch's Conv2d(2 → 1, 1×1) default: U(−1/√2, 1/√2).
        Assert.IsTrue(first.All(w => Math.Abs(w) <= 1 / Math.Sqrt(2)), string.Join(", ", first));
        Assert.AreEqual(first.Length, first.Distinct().Count(), "six independent draws");
    }

    [TestMethod]
    public void GradientReachesEveryParameter()
    {
        var s = SyntheticSection.Create(8, 2, new[] { 6, 5, 4 }, seed: 2);
        manual_seed(0);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 3, 5, CPU);
        var inputs = s.Modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        using var network = new PragaNetwork(s.Modalities.Select(m => (long)m.Cols).ToArray(), 8, randomFusionInit: false);
        var values = learnable.Select(g => g.NormalizedValues()).ToArray();
        using var batch = GraphBatch.Full(graphs, inputs, GraphBatch.SpatialInputsOf(graphs, inputs));
        using var forward = network.Forward(batch, values);
        using var gen = new Generator(1);
        using var prototypes = new SplitMergePrototypes().Fit(forward.Combined, 2, gen);
        var loss = ReconstructionLoss.Weighted(inputs, forward.Reconstructions, new[] { 1.0, 3.0, 3.0 })
                   + PrototypeContrastiveLoss.Compute(forward.Combined, prototypes, 2.0)
                   + learnable.Select((g, m) => g.FrobeniusToReference(values[m])).Aggregate((a, b) => a + b);
        loss.backward();
        var named = network.named_parameters().Concat(learnable.SelectMany((g, m) => g.named_parameters().Select(p => ($"graph{m}.{p.name}", p.parameter)))).ToList();
        Assert.IsTrue(named.Count >= 3 * 4 + 4 + 3, $"expected every block's parameters, got {named.Count}");
        foreach (var (name, p) in named)
        {
            Assert.IsNotNull(p.grad, $"parameter {name} got no gradient");
            Assert.IsTrue(p.grad.abs().sum().item<float>() > 0, $"parameter {name} has an all-zero gradient");
        }
    }

    [TestMethod]
    public void ReconstructionLossDecreasesOnASmallSection()
    {
        var s = SyntheticSection.Create(10, 3, new[] { 12, 8 }, seed: 3);
        var options = FastOptions(2, 3);
        options.SplitMerge = true;
        var result = PragaFitter.Fit(s.Coordinates, s.Modalities, options);
        var first = result.History[0].Reconstruction;
        var last = result.History[^1].Reconstruction;
        Assert.IsTrue(last < 0.8 * first, $"reconstruction went from {first} to {last}");
        Assert.IsTrue(result.History.Skip(options.PrototypeStartEpoch).All(h => h.Prototype != 0), "the prototype loss never acted");
        Assert.IsTrue(result.History.Take(options.PrototypeStartEpoch).All(h => h.Prototype == 0), "the prototype loss acted before its start epoch");
    }

    [TestMethod]
    public void SameSeedGivesIdenticalLabelsAndEmbedding()
    {
        var s = SyntheticSection.Create(10, 3, new[] { 12, 8 }, seed: 4);
        var data = View(s);
        var context = new MLContext(seed: 0);
        var a = new PragaTrainer(context, FastOptions(2, 3, seed: 5)).Fit(data).Transform(data);
        var b = new PragaTrainer(context, FastOptions(2, 3, seed: 5)).Fit(data).Transform(data);
        CollectionAssert.AreEqual(TrainerOutputs.ReadPredictedLabels(a), TrainerOutputs.ReadPredictedLabels(b));
        CollectionAssert.AreEqual(DataViewReader.ReadVectorColumn(a, SectionColumns.Embedding).Data, DataViewReader.ReadVectorColumn(b, SectionColumns.Embedding).Data);
        var c = new PragaTrainer(context, FastOptions(2, 3, seed: 6)).Fit(data).Transform(data);
        CollectionAssert.AreNotEqual(DataViewReader.ReadVectorColumn(a, SectionColumns.Embedding).Data, DataViewReader.ReadVectorColumn(c, SectionColumns.Embedding).Data);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void EndToEndRecoversStripeDomains(int modalities)
    {
        var s = SyntheticSection.Create(12, 3, new[] { 12, 10, 8 }.Take(modalities).ToArray(), seed: 10 + modalities, noise: 1.5);
        var data = View(s);
        var context = new MLContext(seed: 0);
        var estimator = context.Clustering.Trainers.Praga(FastOptions(modalities, 3));
        var shape = estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == SectionColumns.PredictedLabel));
        var model = estimator.Fit(data);
        var output = model.Transform(data);
        var labels = TrainerOutputs.ReadPredictedLabels(output);
        var score = DataViewReader.ReadVectorColumn(output, SectionColumns.Score);
        var embedding = DataViewReader.ReadVectorColumn(output, SectionColumns.Embedding);
        Assert.AreEqual(16, embedding.Cols);
        Assert.AreEqual(3, score.Cols);
        for (int i = 0; i < labels.Length; i++)
        {
            Assert.IsTrue(labels[i] is >= 0 and < 3);
            Assert.AreEqual(1.0, score.RowReadOnly(i).ToArray().Sum(), 1e-4);
            Assert.AreEqual(labels[i], Array.IndexOf(score.RowReadOnly(i).ToArray(), score.RowReadOnly(i).ToArray().Max()));
        }
        double ari = AdjustedRand(s.Truth, labels);
        Assert.IsTrue(ari > 0.8, $"ARI {ari:F3} with {modalities} modalities");
    }

    [TestMethod]
    public void SavedStateReloadsAndScoresANewSectionLikeTheOriginal()
    {
        var train = SyntheticSection.Create(10, 3, new[] { 12, 8 }, seed: 20);
        var other = SyntheticSection.Create(9, 3, new[] { 12, 8 }, seed: 21);
        var context = new MLContext(seed: 0);
        var model = new PragaTrainer(context, FastOptions(2, 3)).Fit(View(train));
        var writer = new ModelStateWriter();
        model.SaveState(writer);
        var reloaded = PragaTransformer.LoadState(new MLContext(seed: 0), ModelStateReader.FromBytes(writer.ToBytes()));
        foreach (var section in new[] { train, other })
        {
            var a = model.Transform(View(section));
            var b = reloaded.Transform(View(section));
            CollectionAssert.AreEqual(TrainerOutputs.ReadPredictedLabels(a), TrainerOutputs.ReadPredictedLabels(b));
            var ea = DataViewReader.ReadVectorColumn(a, SectionColumns.Embedding).Data;
            var eb = DataViewReader.ReadVectorColumn(b, SectionColumns.Embedding).Data;
            for (int i = 0; i < ea.Length; i++) Assert.AreEqual(ea[i], eb[i], 1e-6);
        }
        Assert.AreEqual(81, TrainerOutputs.ReadPredictedLabels(reloaded.Transform(View(other))).Length);
    }

    [TestMethod]
    public void ReloadedModelEmbedsLargeSectionsInTheSameBlocksAndSamples()
    {
        // Mini-batch settings shape how a section above the threshold is embedded (block by block, fan-out samples):
        // a reloaded model must apply the saved ones, not the defaults (which would embed these sections whole).
        var train = SyntheticSection.Create(10, 3, new[] { 12, 8 }, seed: 22);
        var other = SyntheticSection.Create(9, 3, new[] { 12, 8 }, seed: 23);
        var options = FastOptions(2, 3);
        options.MiniBatchThreshold = 50;
        options.BatchSize = 40;
        options.FeatureFanout = 3;
        options.SpatialFanout = 2;
        var model = new PragaTrainer(new MLContext(seed: 0), options).Fit(View(train));
        var writer = new ModelStateWriter();
        model.SaveState(writer);
        var reloaded = PragaTransformer.LoadState(new MLContext(seed: 0), ModelStateReader.FromBytes(writer.ToBytes()));
        var ea = DataViewReader.ReadVectorColumn(model.Transform(View(other)), SectionColumns.Embedding).Data;
        var eb = DataViewReader.ReadVectorColumn(reloaded.Transform(View(other)), SectionColumns.Embedding).Data;
        for (int i = 0; i < ea.Length; i++) Assert.AreEqual(ea[i], eb[i], 1e-6);
    }

    [TestMethod]
    public void MissingModalityColumnIsNamedInTheError()
    {
        var s = SyntheticSection.Create(6, 2, new[] { 5 }, seed: 1);
        var trainer = new PragaTrainer(new MLContext(), FastOptions(2, 2));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => trainer.Fit(View(s)));
        StringAssert.Contains(ex.Message, "ADT");
    }

    [TestMethod]
    public void BadOptionsAreRejectedWithTheirNames()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new PragaTrainer(new MLContext(), new PragaOptions { ModalityColumns = new[] { "A", "B", "C", "D" } }));
        StringAssert.Contains(ex.Message, "ModalityColumns");
        var ex2 = Assert.ThrowsExactly<ArgumentException>(() => new PragaTrainer(new MLContext(), new PragaOptions { Device = "tpu" }));
        StringAssert.Contains(ex2.Message, "tpu");
    }
}
