using System.Diagnostics;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Simulation;
using ScoreNewSection;

namespace MLNetSpatialOmics.Tests.Scoring;

/// <summary>
/// The headline scenario of examples/ScoreNewSection at test size: train on section A (SectionSeed 1, grid order), score
/// section B (SectionSeed 2: other non-spatial factors, counts and noise; spots and features shuffled). Trained once.
/// </summary>
internal static class TwoSections
{
    public const int Side = 24, FeatureDivisor = 2, Epochs = 200;
    public const double LearningRate = 0.001;

    private static readonly Lazy<Trained> Shared = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var a = Scenario.Section(1, shuffle: false, Side, FeatureDivisor);
        var view = a.Section.ToDataView();
        var watch = Stopwatch.StartNew();
        var model = Scenario.Pipeline(ml, Epochs, LearningRate).Fit(view);
        return new Trained(ml, model, view, a, watch.Elapsed);
    });

    public static Trained Model => Shared.Value;

    public static SimulatedSection SectionB() => Scenario.Section(2, shuffle: true, Side, FeatureDivisor);

    public sealed record Trained(MLContext Context, ITransformer Model, IDataView TrainingView, SimulatedSection TrainingSection, TimeSpan FitTime);
}
