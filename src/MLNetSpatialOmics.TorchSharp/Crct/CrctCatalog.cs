using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp.Crct;

namespace MLNetSpatialOmics.TorchSharp;

/// <summary><c>mlContext.Clustering.Trainers.Crct(...)</c>.</summary>
public static class CrctCatalog
{
    public static CrctTrainer Crct(this ClusteringCatalog.ClusteringTrainers catalog, CrctOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CrctTrainer(GetContext(catalog), options);
    }

    /// <summary>CRCT with a dataset preset of Table 1 (hln, mb, simulation, spots, stereo-cite-seq).</summary>
    public static CrctTrainer Crct(this ClusteringCatalog.ClusteringTrainers catalog, string dataset, string[] modalityColumns, int clusters,
        CrctVariant variant = CrctVariant.Full)
    {
        var options = CrctOptions.ForDataset(dataset, modalityColumns);
        options.Praga.Clusters = clusters;
        options.Variant = variant;
        return catalog.Crct(options);
    }

    // ML.NET keeps the catalog's environment internal; an MLContext is what the trainer needs for persistence.
    private static MLContext GetContext(ClusteringCatalog.ClusteringTrainers catalog)
    {
        var env = catalog.GetType().BaseType?.GetProperty("Environment", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(catalog);
        return env as MLContext ?? new MLContext();
    }
}
