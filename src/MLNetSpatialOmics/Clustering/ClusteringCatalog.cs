using Microsoft.ML;
using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.Clustering;

/// <summary>Catalog entry points: <c>mlContext.Clustering.Trainers.SpatialClusteringHead(...)</c>.</summary>
public static class SpatialClusteringCatalog
{
    /// <summary>Clustering head with full options.</summary>
    public static ClusteringHeadEstimator SpatialClusteringHead(this ClusteringCatalog.ClusteringTrainers catalog, ClusteringHeadOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ClusteringHeadEstimator(options);
    }

    /// <summary>
    /// The papers' head: PCA(<paramref name="pcaComponents"/>) of the embedding, then an mclust Gaussian mixture
    /// (<paramref name="modelName"/>, EEE by default) with <paramref name="clusters"/> components, seed 2020.
    /// </summary>
    public static ClusteringHeadEstimator SpatialClusteringHead(this ClusteringCatalog.ClusteringTrainers catalog,
        int clusters, string featureColumnName = SectionColumns.Embedding, MixtureModelName modelName = MixtureModelName.EEE,
        int pcaComponents = 20, int seed = 2020)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ClusteringHeadEstimator(new ClusteringHeadOptions
        {
            FeatureColumnName = featureColumnName, Clusters = clusters, ModelName = modelName, PcaComponents = pcaComponents, Seed = seed,
        });
    }

    /// <summary>k-means head (k-means++ seeding, restarts) on a vector column; Score = squared distance to each centroid.</summary>
    public static ClusteringHeadEstimator SpatialKMeans(this ClusteringCatalog.ClusteringTrainers catalog, int clusters,
        string featureColumnName = SectionColumns.Embedding, int pcaComponents = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ClusteringHeadEstimator(new ClusteringHeadOptions
        {
            Method = ClusteringHeadMethod.KMeans, FeatureColumnName = featureColumnName, Clusters = clusters,
            PcaComponents = pcaComponents, Seed = seed,
        });
    }
}
