using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// A fitted clustering head: optional PCA of the input vector, then a Gaussian mixture (Score = posterior per
/// cluster) or k-means centroids (Score = squared distance per cluster). Adds <c>PredictedLabel</c> (key, 1-based,
/// ML.NET's clustering convention) and <c>Score</c> (vector of K floats). Labels come from the stored parameters, so a
/// reloaded model labels any section identically.
/// </summary>
[PersistableTransformer("SO_CLUSTER_HEAD", version: 1)]
public sealed class ClusteringHeadTransformer : IPersistableTransformer
{
    public string FeatureColumnName { get; }
    public string PredictedLabelColumnName { get; }
    public string ScoreColumnName { get; }
    public ClusteringHeadMethod Method { get; }
    /// <summary>Number of clusters K.</summary>
    public int Clusters { get; }
    /// <summary>The fitted mixture (null for k-means).</summary>
    public GaussianMixture? Mixture { get; }
    /// <summary>k-means centroids in the (PCA) space clustered (null for mixtures).</summary>
    public DenseMatrix? Centroids { get; }
    /// <summary>BIC of every (model, K) tried when K was chosen over a range; empty otherwise or after reload.</summary>
    public IReadOnlyList<BicEntry> BicTable { get; }
    /// <summary>Width of the input vector the head was fitted on.</summary>
    public int InputDimension { get; }
    internal EmbeddingPca? Pca { get; }

    internal ClusteringHeadTransformer(string feature, string label, string score, ClusteringHeadMethod method, int inputDimension,
        EmbeddingPca? pca, GaussianMixture? mixture, DenseMatrix? centroids, IReadOnlyList<BicEntry> bicTable)
    {
        FeatureColumnName = feature;
        PredictedLabelColumnName = label;
        ScoreColumnName = score;
        Method = method;
        InputDimension = inputDimension;
        Pca = pca;
        Mixture = mixture;
        Centroids = centroids;
        BicTable = bicTable;
        Clusters = mixture?.Components ?? centroids?.Rows ?? throw new ArgumentException("a clustering head needs a mixture or centroids.");
    }

    public bool IsRowToRowMapper => false;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("the clustering head transforms whole sections; use Transform.");

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema, FeatureColumnName, InputDimension);
        return OutputSchema(inputSchema, PredictedLabelColumnName, ScoreColumnName, Clusters);
    }

    internal static DataViewSchema OutputSchema(DataViewSchema input, string label, string score, int k)
    {
        var b = new DataViewSchema.Builder();
        foreach (var c in input)
            if (!c.IsHidden && c.Name != label && c.Name != score) b.AddColumn(c.Name, c.Type, c.Annotations);
        b.AddColumn(label, new KeyDataViewType(typeof(uint), k));
        b.AddColumn(score, new VectorDataViewType(NumberDataViewType.Single, k));
        return b.ToSchema();
    }

    internal static void CheckInput(DataViewSchema schema, string feature, int expectedWidth)
    {
        var col = schema.GetColumnOrNull(feature)
            ?? throw new ArgumentException($"the input has no column '{feature}' (the clustering head's feature vector); " +
                $"its columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (col.Type is not VectorDataViewType vt || !vt.IsKnownSize || (vt.ItemType != NumberDataViewType.Single && vt.ItemType != NumberDataViewType.Double))
            throw new ArgumentException($"column '{feature}' must be a fixed-size Single or Double vector, but it is {col.Type}.");
        if (expectedWidth > 0 && vt.Size != expectedWidth)
            throw new ArgumentException($"column '{feature}' has width {vt.Size}; the clustering head was fitted on width {expectedWidth}.");
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema, FeatureColumnName, InputDimension);
        var x = DataViewReader.ReadVectorColumn(input, FeatureColumnName);
        var scores = Score(x, out var labels);
        var keys = labels.Select(l => (uint)(l + 1)).ToArray();
        var buf = new float[scores.Data.Length];
        for (int i = 0; i < buf.Length; i++) buf[i] = (float)scores.Data[i];
        return new InMemoryDataView(input, new[]
        {
            InMemoryColumn.Key(PredictedLabelColumnName, keys, Clusters),
            InMemoryColumn.Vector(ScoreColumnName, buf, Clusters),
        });
    }

    /// <summary>Scores (posteriors or squared distances, rows × K) and 0-based labels for raw input rows.</summary>
    public DenseMatrix Score(DenseMatrix x, out int[] labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        var projected = Pca is null ? x : Pca.Transform(x);
        if (Mixture is not null)
        {
            var z = Mixture.PredictProbabilities(projected);
            labels = MixtureEm.MapLabels(z.Data, x.Rows, Clusters);
            return z;
        }
        labels = NearestPrototype.Assign(projected, Centroids!, out var dist);
        return dist;
    }

    public void SaveState(ModelStateWriter writer)
    {
        writer.Write("feature", FeatureColumnName);
        writer.Write("label", PredictedLabelColumnName);
        writer.Write("score", ScoreColumnName);
        writer.Write("method", Method.ToString());
        writer.Write("input_dimension", InputDimension);
        writer.Write("has_pca", Pca is not null);
        if (Pca is not null)
        {
            writer.Write("pca_mean", Pca.Mean);
            writer.Write("pca_components", Pca.Components);
        }
        if (Mixture is not null) Mixture.Save(writer.Child("mixture"));
        else writer.Write("centroids", Centroids!);
    }

    internal static ClusteringHeadTransformer LoadState(MLContext context, ModelStateReader reader)
    {
        var methodName = reader.GetString("method");
        if (!Enum.TryParse<ClusteringHeadMethod>(methodName, out var method))
            throw new InvalidDataException($"saved clustering head has unknown method '{methodName}'.");
        EmbeddingPca? pca = reader.GetBool("has_pca") ? new EmbeddingPca(reader.GetDoubleArray("pca_mean"), reader.GetDense("pca_components")) : null;
        GaussianMixture? mixture = method == ClusteringHeadMethod.GaussianMixture ? GaussianMixture.Load(reader.GetChild("mixture")) : null;
        DenseMatrix? centroids = method == ClusteringHeadMethod.KMeans ? reader.GetDense("centroids") : null;
        return new ClusteringHeadTransformer(reader.GetString("feature")!, reader.GetString("label")!, reader.GetString("score")!,
            method, reader.GetInt32("input_dimension"), pca, mixture, centroids, Array.Empty<BicEntry>());
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
