using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp.Trsmi;

namespace MLNetSpatialOmics.TorchSharp;

/// <summary><c>mlContext.Clustering.Trainers.Trsmi(...)</c>.</summary>
public static class TrsmiCatalog
{
    public static TrsmiTrainer Trsmi(this ClusteringCatalog.ClusteringTrainers catalog, TrsmiOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TrsmiTrainer(GetContext(catalog), options);
    }

    public static TrsmiTrainer Trsmi(this ClusteringCatalog.ClusteringTrainers catalog, string[] modalityColumns, int clusters)
        => catalog.Trsmi(new TrsmiOptions { ModalityColumns = modalityColumns, Clusters = clusters });

    // ML.NET keeps the catalog's environment internal; an MLContext is what the trainer needs for persistence.
    private static MLContext GetContext(ClusteringCatalog.ClusteringTrainers catalog)
    {
        var env = catalog.GetType().BaseType?.GetProperty("Environment", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(catalog);
        return env as MLContext ?? new MLContext();
    }
}
