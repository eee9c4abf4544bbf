using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// Fits a clustering head on a vector column (an embedding from a trainer, or any features): optional PCA, then an
/// mclust-style Gaussian mixture (K fixed or chosen by BIC over a range) or k-means.
/// </summary>
public sealed class ClusteringHeadEstimator : IEstimator<ClusteringHeadTransformer>
{
    private readonly ClusteringHeadOptions _options;

    public ClusteringHeadEstimator(ClusteringHeadOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.ClusterRange(); // validate early
        if (_options.PcaComponents < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.PcaComponents, "PcaComponents must be ≥ 0.");
        if (string.IsNullOrWhiteSpace(_options.FeatureColumnName)) throw new ArgumentException("FeatureColumnName must be set.", nameof(options));
    }

    public ClusteringHeadTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        ClusteringHeadTransformer.CheckInput(input.Schema, o.FeatureColumnName, 0);
        var x = DataViewReader.ReadVectorColumn(input, o.FeatureColumnName);
        if (x.Rows < 2) throw new ArgumentException($"column '{o.FeatureColumnName}' has {x.Rows} rows; clustering needs at least 2.");
        EmbeddingPca? pca = null;
        var data = x;
        if (o.PcaComponents > 0 && o.PcaComponents < x.Cols)
        {
            pca = EmbeddingPca.Fit(x, o.PcaComponents);
            data = pca.Transform(x);
        }
        var range = o.ClusterRange();
        if (o.Method == ClusteringHeadMethod.KMeans)
        {
            var km = KMeansClustering.Fit(data, range[0], o.Seed, o.KMeansRestarts);
            return new ClusteringHeadTransformer(o.FeatureColumnName, o.PredictedLabelColumnName, o.ScoreColumnName, o.Method, x.Cols,
                pca, null, km.Centroids, Array.Empty<BicEntry>());
        }
        var mclust = new MclustOptions { Seed = o.Seed, SubsetSize = o.InitializationSubsetSize, Tolerance = o.Tolerance, HierarchicalInputs = o.HierarchicalInputs, SplitMergeSearch = o.SplitMergeSearch };
        var selection = MclustFitter.FitRange(data, range, new[] { o.ModelName }, mclust);
        return new ClusteringHeadTransformer(o.FeatureColumnName, o.PredictedLabelColumnName, o.ScoreColumnName, o.Method, x.Cols,
            pca, selection.Best, null, range.Length > 1 ? selection.BicTable : Array.Empty<BicEntry>());
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var o = _options;
        if (!SchemaShapeFactory.TryFind(inputSchema, o.FeatureColumnName, out var col))
            throw new ArgumentException($"the input has no column '{o.FeatureColumnName}' (the clustering head's feature vector).");
        if (col.Kind != SchemaShape.Column.VectorKind.Vector || (col.ItemType != NumberDataViewType.Single && col.ItemType != NumberDataViewType.Double))
            throw new ArgumentException($"column '{o.FeatureColumnName}' must be a fixed-size Single or Double vector.");
        int k = o.ClusterRange().Max();
        var added = new DataViewSchema.Builder();
        added.AddColumn(o.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), k));
        added.AddColumn(o.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, k));
        return SchemaShapeFactory.Append(inputSchema, added.ToSchema());
    }
}
