using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Cli;

/// <summary>Builds the trainer for <c>--method</c> with the hyper-parameters of the data type (preset) being run.</summary>
public static class TrainerFactory
{
    public static IReadOnlyList<string> Methods { get; } = new[] { "praga" };

    public sealed record Settings(string[] FeatureColumns, int Clusters, PragaDataType? DataType, int? Epochs, int Seed, string Device);

    public static IEstimator<ITransformer> Create(MLContext context, string method, Settings s, TrainingProgress progress)
    {
        switch (method)
        {
            case "praga":
                var o = IsSimulationLike(s) ? PragaOptions.Simulation(s.FeatureColumns) : PragaOptions.TenX(s.FeatureColumns);
                o.Clusters = s.Clusters;
                o.Seed = s.Seed;
                o.Device = s.Device;
                if (s.Epochs is int e) o.Epochs = e;
                o.Progress = p => progress.Report(p.Epoch, p.Epochs, new[]
                {
                    ("total", p.Total), ("recon", p.Reconstruction), ("proto", p.Prototype), ("graph", p.Graph),
                });
                return context.Clustering.Trainers.Praga(o);
            default:
                throw new CliUsageException($"cluster: --method must be one of {string.Join("|", Methods)}, got '{method}'.");
        }
    }

    /// <summary>PRAGA's "Simulation" settings for the triplet data type (or three modalities without a preset), else its 10x settings.</summary>
    private static bool IsSimulationLike(Settings s) =>
        s.DataType is PragaDataType.Simulation || (s.DataType is null && s.FeatureColumns.Length >= 3);
}
