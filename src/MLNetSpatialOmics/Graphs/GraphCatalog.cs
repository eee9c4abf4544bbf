using Microsoft.ML;
using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.Graphs;

/// <summary><c>mlContext.Transforms.BuildSpatialGraph(...)</c> and <c>BuildFeatureGraph(...)</c>.</summary>
public static class GraphCatalog
{
    /// <summary>
    /// Exact Euclidean kNN on the spot coordinates (ties: lower index first), added as
    /// <c>{outputColumnPrefix}.Indices</c> / <c>.Distances</c>. PRAGA uses k = 3 (6 for Stereo-CITE-seq and epigenome data).
    /// </summary>
    public static GraphFeaturizerEstimator BuildSpatialGraph(this TransformsCatalog catalog, int k = GraphFeaturizerOptions.DefaultSpatialK,
        string outputColumnPrefix = "SpatialGraph", string xColumn = SectionColumns.X, string yColumn = SectionColumns.Y)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GraphFeaturizerEstimator(new GraphFeaturizerOptions
        {
            Kind = GraphKind.Spatial, K = k, OutputColumnPrefix = outputColumnPrefix, XColumn = xColumn, YColumn = yColumn,
        });
    }

    /// <summary>
    /// kNN on the feature vectors of <paramref name="inputColumn"/> (PRAGA: correlation, k = 20), added as
    /// <c>{prefix}.Indices</c> / <c>.Distances</c> with prefix <c>{inputColumn}.FeatureGraph</c> unless given.
    /// </summary>
    public static GraphFeaturizerEstimator BuildFeatureGraph(this TransformsCatalog catalog, string inputColumn,
        int k = GraphFeaturizerOptions.DefaultFeatureK, FeatureMetric metric = FeatureMetric.Correlation,
        string? outputColumnPrefix = null, KnnAlgorithm algorithm = KnnAlgorithm.Auto, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GraphFeaturizerEstimator(new GraphFeaturizerOptions
        {
            Kind = GraphKind.Feature, InputColumn = inputColumn, K = k, Metric = metric,
            OutputColumnPrefix = outputColumnPrefix, Algorithm = algorithm, Seed = seed,
        });
    }

    public static GraphFeaturizerEstimator BuildGraph(this TransformsCatalog catalog, GraphFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GraphFeaturizerEstimator(options);
    }
}
