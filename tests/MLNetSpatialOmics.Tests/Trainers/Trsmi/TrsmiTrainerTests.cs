using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Trsmi;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class TrsmiTrainerTests
{
    private static readonly string[] Names = { "RNA", "ADT", "ATAC" };

    internal static IDataView View(SyntheticSection s)
    {
        var columns = new List<InMemoryColumn>
        {
            InMemoryColumn.Single(SectionColumns.X, Enumerable.Range(0, s.Coordinates.Rows).Select(i => (float)s.Coordinates[i, 0]).ToArray()),
            InMemoryColumn.Single(SectionColumns.Y, Enumerable.Range(0, s.Coordinates.Rows).Select(i => (float)s.Coordinates[i, 1]).ToArray()),
        };
        for (int m = 0; m < s.Modalities.Length; m++) columns.Add(InMemoryColumn.Vector(Names[m], s.Modalities[m]));
        return new InMemoryDataView(columns);
    }

    internal static TrsmiOptions FastOptions(int modalities, int clusters, int seed = 1, int epochs = 30) => new()
    {
        ModalityColumns = Names.Take(modalities).ToArray(),
        Clusters = clusters,
        Epochs = epochs,
        LearningRate = 0.01,
        WeightDecay = 5e-3,
        LatentDimension = 16,
        SpatialNeighbors = 4,
        FeatureNeighbors = 8,
        AlignmentTopK = 5,
        AlignmentWarmupEpochs = 3,
        PrototypeStartEpoch = 20,
        PrototypeRefreshEvery = 10,
        PcaComponents = 8,
        Seed = seed,
        Device = "cpu",
    };

    [TestMethod]
    public void GradientReachesEveryParameterAfterWarmUp()
    {
        var s = SyntheticSection.Create(8, 2, new[] { 6, 5, 4 }, seed: 2);
        var options = FastOptions(3, 2);
        // With the near-identity start the cross term's weight is zero, so W_q and W_k get their first gradient only
        // after one step; a random W_m checks that the gradient path through S exists at all.
        options.AlignmentNearIdentityInit = false;
        manual_seed(0);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 4, 5, CPU);
        var inputs = s.Modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        using var network = new TrsmiNetwork(s.Modalities.Select(m => (long)m.Cols).ToArray(), options);
        var values = learnable.Select(g => g.NormalizedValues()).ToArray();
        using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, values, epoch: 5, epochs: 30, warmupEpochs: 3);
        var loss = ReconstructionLoss.Weighted(inputs, forward.Reconstructions, new[] { 5.0, 5.0, 5.0 })
                   + learnable.Select((g, m) => g.FrobeniusToReference(values[m])).Aggregate((a, b) => a + b);
        loss.backward();
        var named = network.named_parameters().Concat(learnable.SelectMany((g, m) => g.named_parameters().Select(p => ($"graph{m}.{p.name}", p.parameter)))).ToList();
        foreach (var (name, p) in named)
        {
            // The RPR gate multiplies Δ(F·W), which is exactly zero before Δ's first update: its gradient starts at 0.
            if (name.EndsWith(".gate", StringComparison.Ordinal)) continue;
            Assert.IsNotNull(p.grad, $"parameter {name} got no gradient");
            Assert.IsTrue(p.grad.abs().sum().item<float>() > 0, $"parameter {name} has an all-zero gradient");
        }
        Assert.IsTrue(named.Any(p => p.Item1.Contains("alignment.queries")) && named.Any(p => p.Item1.Contains("diffusion.projection")));
    }

    [TestMethod]
    public void FirstPassWithNearIdentityAlignmentEqualsAlignmentOff()
    {
        var s = SyntheticSection.Create(8, 2, new[] { 6, 5, 4 }, seed: 3);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 4, 5, CPU);
        var inputs = s.Modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32)).ToArray();
        var learnable = graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        var values = learnable.Select(g => g.NormalizedValues()).ToArray();
        Tensor Combined(bool align, bool nearIdentity, bool fixedSelf = true)
        {
            var options = FastOptions(3, 2);
            options.UseAlignment = align;
            options.AlignmentNearIdentityInit = nearIdentity;
            options.AlignmentFixedSelfPath = fixedSelf;
            manual_seed(7);
            using var network = new TrsmiNetwork(s.Modalities.Select(m => (long)m.Cols).ToArray(), options);
            using var forward = network.Forward(inputs, graphs.Spatial, graphs.Features, values, epoch: 0, epochs: 30, warmupEpochs: 3);
            return forward.Combined.detach().clone();
        }
        var off = Combined(align: false, nearIdentity: true);
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(Combined(align: true, nearIdentity: true), off), 1e-6);
        Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(Combined(align: true, nearIdentity: true, fixedSelf: false), off), 1e-6);
        // The default PyTorch initialisation of W_m does change the embedding: the check above is not vacuous.
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(Combined(align: true, nearIdentity: false, fixedSelf: false), off) > 1e-3);
    }

    [TestMethod]
    public void SameSeedGivesIdenticalLabelsAndEmbedding()
    {
        var s = SyntheticSection.Create(8, 3, new[] { 12, 8 }, seed: 4);
        var data = View(s);
        var context = new MLContext(seed: 0);
        var a = new TrsmiTrainer(context, FastOptions(2, 3, seed: 5, epochs: 6)).Fit(data).Transform(data);
        var b = new TrsmiTrainer(context, FastOptions(2, 3, seed: 5, epochs: 6)).Fit(data).Transform(data);
        CollectionAssert.AreEqual(TrainerOutputs.ReadPredictedLabels(a), TrainerOutputs.ReadPredictedLabels(b));
        CollectionAssert.AreEqual(DataViewReader.ReadVectorColumn(a, SectionColumns.Embedding).Data, DataViewReader.ReadVectorColumn(b, SectionColumns.Embedding).Data);
        var c = new TrsmiTrainer(context, FastOptions(2, 3, seed: 6, epochs: 6)).Fit(data).Transform(data);
        CollectionAssert.AreNotEqual(DataViewReader.ReadVectorColumn(a, SectionColumns.Embedding).Data, DataViewReader.ReadVectorColumn(c, SectionColumns.Embedding).Data);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void EndToEndRecoversStripeDomains(int modalities)
    {
        var s = SyntheticSection.Create(10, 3, new[] { 12, 10, 8 }.Take(modalities).ToArray(), seed: 10 + modalities, noise: 1.5);
        var data = View(s);
        var context = new MLContext(seed: 0);
        var estimator = context.Clustering.Trainers.Trsmi(FastOptions(modalities, 3));
        var shape = estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == SectionColumns.PredictedLabel));
        var model = estimator.Fit(data);
        var output = model.Transform(data);
        var labels = TrainerOutputs.ReadPredictedLabels(output);
        var score = DataViewReader.ReadVectorColumn(output, SectionColumns.Score);
        Assert.AreEqual(16, DataViewReader.ReadVectorColumn(output, SectionColumns.Embedding).Cols);
        Assert.AreEqual(3, score.Cols);
        for (int i = 0; i < labels.Length; i++)
            Assert.AreEqual(labels[i], Array.IndexOf(score.RowReadOnly(i).ToArray(), score.RowReadOnly(i).ToArray().Max()));
        double ari = MLNetSpatialOmics.Evaluation.SpatialClusteringEvaluator.Evaluate(s.Truth, labels).AdjustedRandIndex;
        Assert.IsTrue(ari > 0.8, $"ARI {ari:F3} with {modalities} modalities");
        var betas = model.TrainingHistory.Select(h => h.Beta).ToArray();
        for (int e = 1; e < betas.Length; e++) Assert.IsTrue(betas[e] <= betas[e - 1] + 1e-7, "β rose during training");
        Assert.AreEqual(betas[^1], model.Beta, 1e-6);
    }

    [TestMethod]
    public void EveryAblationRowTrainsAndChangesTheModel()
    {
        var s = SyntheticSection.Create(8, 2, new[] { 6, 5 }, seed: 7);
        var data = View(s);
        var context = new MLContext(seed: 0);
        var rows = new[] { (false, false, false, false), (true, false, false, false), (false, true, false, false),
                           (false, false, true, false), (false, false, false, true), (true, true, true, true) };
        var embeddings = new List<float[]>();
        foreach (var (rpr, align, ms, sched) in rows)
        {
            var options = FastOptions(2, 2, epochs: 4);
            options.PcaComponents = 3;
            options.UseRpr = rpr;
            options.UseAlignment = align;
            options.UseMultiScaleAppnp = ms;
            options.UseScheduledGate = sched;
            var model = new TrsmiTrainer(context, options).Fit(data);
            if (!sched) Assert.AreEqual(options.FixedBeta, model.Beta, 1e-9);
            embeddings.Add(DataViewReader.ReadVectorColumn(model.Transform(data), SectionColumns.Embedding).Data.Select(v => (float)v).ToArray());
        }
        for (int r = 1; r < rows.Length; r++)
            CollectionAssert.AreNotEqual(embeddings[0], embeddings[r], $"ablation row {r} gives the baseline's embedding");
    }

    [TestMethod]
    public void SavedStateReloadsAndScoresANewSectionLikeTheOriginal()
    {
        var train = SyntheticSection.Create(9, 3, new[] { 12, 8 }, seed: 20);
        var other = SyntheticSection.Create(8, 3, new[] { 12, 8 }, seed: 21);
        var context = new MLContext(seed: 0);
        var options = FastOptions(2, 3, epochs: 8);
        options.UseMultiScaleAppnp = false;   // saved switches must come back too
        var model = new TrsmiTrainer(context, options).Fit(View(train));
        var writer = new ModelStateWriter();
        model.SaveState(writer);
        var reloaded = TrsmiTransformer.LoadState(new MLContext(seed: 0), ModelStateReader.FromBytes(writer.ToBytes()));
        Assert.AreEqual(model.Beta, reloaded.Beta, 1e-12);
        foreach (var section in new[] { train, other })
        {
            var a = model.Transform(View(section));
            var b = reloaded.Transform(View(section));
            CollectionAssert.AreEqual(TrainerOutputs.ReadPredictedLabels(a), TrainerOutputs.ReadPredictedLabels(b));
            var ea = DataViewReader.ReadVectorColumn(a, SectionColumns.Embedding).Data;
            var eb = DataViewReader.ReadVectorColumn(b, SectionColumns.Embedding).Data;
            for (int i = 0; i < ea.Length; i++) Assert.AreEqual(ea[i], eb[i], 1e-6);
        }
        Assert.AreEqual(64, TrainerOutputs.ReadPredictedLabels(reloaded.Transform(View(other))).Length);
    }

    [TestMethod]
    public void BadInputAndOptionsAreNamedInTheError()
    {
        var s = SyntheticSection.Create(6, 2, new[] { 5 }, seed: 1);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new TrsmiTrainer(new MLContext(), FastOptions(2, 2)).Fit(View(s)));
        StringAssert.Contains(ex.Message, "ADT");
        var ex2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrsmiTrainer(new MLContext(), new TrsmiOptions { AlignmentTopK = 0 }));
        Assert.AreEqual("AlignmentTopK", ex2.ParamName);
        var ex3 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrsmiTrainer(new MLContext(), new TrsmiOptions { LocalGate = 1.0 }));
        Assert.AreEqual("LocalGate", ex3.ParamName);
    }
}
