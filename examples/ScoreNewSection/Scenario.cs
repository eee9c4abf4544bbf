using Microsoft.ML;
using MLNetSpatialOmics.Simulation;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.Transforms;

namespace ScoreNewSection;

/// <summary>
/// One simulated tissue (simulator Seed 101: every section shares the feature loadings) cut into sections that differ
/// in their SectionSeed: other non-spatial factors, counts and noise. Sections to score are stored with spots and
/// features shuffled, so nothing lines up by position.
/// </summary>
public static class Scenario
{
    public const int TissueSeed = 101;
    public static readonly string[] FeatureColumns = { "RNA_feat", "ADT_feat", "ATAC_feat" };

    public static SimulatedSection Section(int sectionSeed, bool shuffle, int side = 36, int featureDivisor = 1)
    {
        var o = new SpatialSimulatorOptions
        {
            Side = side, Seed = TissueSeed, SectionSeed = sectionSeed, ShuffleSpots = shuffle, ShuffleFeatures = shuffle,
            Name = $"tissue{TissueSeed}-section{sectionSeed}",
        };
        foreach (var m in o.Modalities) m.FeatureCount /= featureDivisor;
        return SpatialSimulator.Simulate(o);
    }

    /// <summary>PRAGA's "Simulation" preprocessing (CLR/PCA, normalise/log1p/HVG/PCA, TF-IDF LSI) then the PRAGA trainer.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, int epochs, double learningRate) =>
        PragaPresets.Build(ml, PragaDataType.Simulation).Append(ml.Clustering.Trainers.Praga(new PragaOptions
        {
            ModalityColumns = FeatureColumns,
            Clusters = 5,
            Epochs = epochs,
            LearningRate = learningRate,
            PrototypeStartEpoch = epochs / 2,
            PrototypeRefreshEvery = epochs,
            Device = "cpu",
            Seed = 2024,
        }));
}
