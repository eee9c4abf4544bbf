using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp.Praga;

namespace MLNetSpatialOmics.TorchSharp;

/// <summary><c>mlContext.Clustering.Trainers.Praga(...)</c>.</summary>
public static class PragaCatalog
{
    public static PragaTrainer Praga(this ClusteringCatalog.ClusteringTrainers catalog, PragaOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PragaTrainer(GetContext(catalog), options);
    }

    public static PragaTrainer Praga(this ClusteringCatalog.ClusteringTrainers catalog, string[] modalityColumns, int clusters)
        => catalog.Praga(new PragaOptions { ModalityColumns = modalityColumns, Clusters = clusters });

    // ML.NET keeps the catalog's environment internal; an MLContext is what the trainer needs for persistence.
    private static MLContext GetContext(ClusteringCatalog.ClusteringTrainers catalog)
    {
        var env = catalog.GetType().BaseType?.GetProperty("Environment", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(catalog);
        return env as MLContext ?? new MLContext();
    }
}
