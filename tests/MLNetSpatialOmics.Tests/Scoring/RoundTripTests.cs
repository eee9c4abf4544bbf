using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.Scoring;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.TorchSharp.Trsmi;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Tests.Scoring;

/// <summary>
/// Every transformer type through <c>mlContext.Model.Save</c> → <c>Load</c> in a fresh MLContext, outputs compared on the
/// training section and on another, shuffled section (where the fitted state and the name alignment do the work).
/// The graph featurizer and clustering head have their zip round trips in Graphs/ and Clustering/; the trainers' are below.
/// </summary>
[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public sealed class RoundTripTests
{
    internal const int Side = 10, FeatureDivisor = 10; // 100 spots; RNA 100, ADT 10, ATAC 100 features

    internal static SpatialSection Small(int sectionSeed, bool shuffle) =>
        ScoreNewSection.Scenario.Section(sectionSeed, shuffle, Side, FeatureDivisor).Section;

    private static IEstimator<ITransformer> Step(MLContext ml, string name) => name switch
    {
        "NormalizeTotal" => ml.Transforms.NormalizeTotal("Out", "RNA"),
        "Log1p" => ml.Transforms.Log1p("Out", "RNA"),
        "Clr" => ml.Transforms.Clr("Out", "ADT"),
        "Scale" => ml.Transforms.Scale("Out", "ADT"),
        "SelectHighlyVariableFeatures" => ml.Transforms.SelectHighlyVariableFeatures("Out", "RNA", topFeatureCount: 30),
        "FilterFeatures" => ml.Transforms.FilterFeatures("Out", "RNA", minSpots: 10),
        "Pca" => ml.Transforms.Pca("Out", "ADT", components: 5),
        "TfIdfLsi" => ml.Transforms.TfIdfLsi("Out", "ATAC", components: 5),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such step"),
    };

    internal static string SaveToTemp(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlnso-{Guid.NewGuid():N}-model.zip");
        ml.Model.Save(model, schema, path);
        return path;
    }

    [TestMethod]
    [DataRow("NormalizeTotal")]
    [DataRow("Log1p")]
    [DataRow("Clr")]
    [DataRow("Scale")]
    [DataRow("SelectHighlyVariableFeatures")]
    [DataRow("FilterFeatures")]
    [DataRow("Pca")]
    [DataRow("TfIdfLsi")]
    public void PreprocessingTransformerReloadsFromTheZipWithBitwiseEqualOutput(string step)
    {
        var ml = new MLContext(seed: 1);
        var train = Small(1, shuffle: false).ToDataView();
        var other = Small(2, shuffle: true).ToDataView();
        var model = Step(ml, step).Fit(train);
        var path = SaveToTemp(ml, model, train.Schema);
        try
        {
            var loaded = ModelPersistence.Load(new MLContext(seed: 99), path, out var schema);
            Assert.IsNotNull(schema.GetColumnOrNull("RNA"), "the zip keeps the training input schema");
            Assert.AreNotSame(model, loaded);
            foreach (var view in new[] { train, other })
            {
                var before = DataViewReader.ReadVectorColumn(model.Transform(view), "Out");
                var after = DataViewReader.ReadVectorColumn(loaded.Transform(view), "Out");
                Assert.AreEqual(before.Cols, after.Cols);
                CollectionAssert.AreEqual(before.Data, after.Data, $"{step}: outputs differ after reload");
                CollectionAssert.AreEqual(DataViewReader.ReadSlotNames(model.Transform(view), "Out"), DataViewReader.ReadSlotNames(loaded.Transform(view), "Out"));
            }
        }
        finally { File.Delete(path); }
    }

    private static IEstimator<ITransformer> TrainerPipeline(MLContext ml, string trainer) => trainer switch
    {
        "PRAGA" => ScoreNewSection.Scenario.Pipeline(ml, epochs: 4, learningRate: 0.001),
        "TRSMI" => PragaPresets.Build(ml, PragaDataType.Simulation).Append(ml.Clustering.Trainers.Trsmi(new TrsmiOptions
        {
            ModalityColumns = ScoreNewSection.Scenario.FeatureColumns, Clusters = 5, Epochs = 4, LearningRate = 0.01, LatentDimension = 16,
            SpatialNeighbors = 4, FeatureNeighbors = 8, AlignmentTopK = 5, AlignmentWarmupEpochs = 2, PcaComponents = 8, Seed = 3, Device = "cpu",
        })),
        "CRCT" => PragaPresets.Build(ml, PragaDataType.Simulation).Append(ml.Clustering.Trainers.Crct(new CrctOptions
        {
            Praga = new PragaOptions
            {
                ModalityColumns = ScoreNewSection.Scenario.FeatureColumns, Clusters = 5, Epochs = 4, LearningRate = 0.01,
                PrototypeRefreshEvery = 2, Device = "cpu", Seed = 5,
            },
        })),
        _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "no such trainer"),
    };

    [TestMethod]
    [DataRow("PRAGA")]
    [DataRow("TRSMI")]
    [DataRow("CRCT")]
    public void TrainerPipelineReloadsFromTheZipAndScoresANewSectionIdentically(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var train = Small(1, shuffle: false).ToDataView();
        var other = Small(2, shuffle: true).ToDataView();
        var model = TrainerPipeline(ml, trainer).Fit(train);
        var path = SaveToTemp(ml, model, train.Schema);
        try
        {
            var fresh = new MLContext(seed: 42);
            ModelPersistence.Register(fresh);
            var loaded = fresh.Model.Load(path, out _); // ML.NET's own Load, after the one registration call
            foreach (var view in new[] { train, other })
            {
                var before = model.Transform(view);
                var after = loaded.Transform(view);
                foreach (var column in ScoreNewSection.Scenario.FeatureColumns)
                    CollectionAssert.AreEqual(DataViewReader.ReadVectorColumn(before, column).Data, DataViewReader.ReadVectorColumn(after, column).Data, column);
                AssertClose(DataViewReader.ReadVectorColumn(before, SectionColumns.Embedding).Data, DataViewReader.ReadVectorColumn(after, SectionColumns.Embedding).Data, 1e-6);
                AssertClose(DataViewReader.ReadVectorColumn(before, SectionColumns.Score).Data, DataViewReader.ReadVectorColumn(after, SectionColumns.Score).Data, 1e-6);
                CollectionAssert.AreEqual(new SectionScorer(ml, model).Score(view).Labels, new SectionScorer(fresh, loaded).Score(view).Labels);
            }
        }
        finally { File.Delete(path); }
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance, $"value {i}");
    }
}
