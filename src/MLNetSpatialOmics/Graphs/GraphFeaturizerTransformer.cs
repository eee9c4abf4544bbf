using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Adds a kNN graph of the section as per-spot neighbour columns (see <see cref="GraphColumns"/>). The graph is
/// rebuilt from each view it transforms — a new section gets its own graph — so the only state is the options.
/// A whole-section transform: it reads all spots before producing a row, so it is not a row-to-row mapper.
/// </summary>
[PersistableTransformer("MLSO.GraphFeaturizer")]
public sealed class GraphFeaturizerTransformer : IPersistableTransformer
{
    private readonly GraphFeaturizerOptions _options;

    public GraphFeaturizerTransformer(GraphFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>A copy of the options this transformer runs with.</summary>
    public GraphFeaturizerOptions Options => _options.Clone();

    public bool IsRowToRowMapper => false;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException("the graph featurizer needs every spot of the section at once; it has no row-to-row mapper. Use Transform.");

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        var outputs = GraphColumns.OutputTypes(_options.EffectivePrefix, _options.EffectiveK);
        var replaced = outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var builder = new DataViewSchema.Builder();
        foreach (var col in inputSchema)
            if (!col.IsHidden && !replaced.Contains(col.Name)) builder.AddColumn(col.Name, col.Type, col.Annotations);
        foreach (var (name, type) in outputs) builder.AddColumn(name, type);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        var list = BuildNeighbors(input);
        return new InMemoryDataView(input, GraphColumns.ToColumns(list, _options.EffectivePrefix));
    }

    /// <summary>The neighbour lists this transformer would add to <paramref name="input"/>.</summary>
    public NeighborList BuildNeighbors(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        int k = _options.EffectiveK;
        try
        {
            if (_options.Kind == GraphKind.Spatial)
            {
                var x = DataViewReader.ReadScalarColumn(input, _options.XColumn);
                var y = DataViewReader.ReadScalarColumn(input, _options.YColumn);
                return SpatialKnn.Compute(x, y, k);
            }
            var features = DataViewReader.ReadVectorColumn(input, _options.InputColumn!);
            return FeatureKnn.Compute(features, new FeatureKnnOptions
            {
                K = k,
                Metric = _options.Metric,
                Algorithm = _options.Algorithm,
                ExactThreshold = _options.ExactThreshold,
                Seed = _options.Seed,
            });
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"graph featurizer '{_options.EffectivePrefix}' ({Describe()}): {e.Message}", e);
        }
    }

    private string Describe() => _options.Kind == GraphKind.Spatial
        ? $"spatial kNN on '{_options.XColumn}', '{_options.YColumn}', k = {_options.EffectiveK}"
        : $"{_options.Metric} kNN on '{_options.InputColumn}', k = {_options.EffectiveK}";

    private void CheckInput(DataViewSchema schema)
    {
        if (_options.Kind == GraphKind.Spatial)
        {
            foreach (var name in new[] { _options.XColumn, _options.YColumn })
            {
                var col = schema.GetColumnOrNull(name)
                    ?? throw new ArgumentException($"graph featurizer: the input has no coordinate column '{name}'; its columns are: {ColumnList(schema)}.");
                if (col.Type != NumberDataViewType.Single && col.Type != NumberDataViewType.Double && col.Type != NumberDataViewType.Int32)
                    throw new ArgumentException($"graph featurizer: coordinate column '{name}' is {col.Type}; Single, Double or Int32 was expected.");
            }
            return;
        }
        var input = schema.GetColumnOrNull(_options.InputColumn!)
            ?? throw new ArgumentException($"graph featurizer: the input has no feature column '{_options.InputColumn}'; its columns are: {ColumnList(schema)}.");
        if (input.Type is not VectorDataViewType vt || !vt.IsKnownSize ||
            (vt.ItemType != NumberDataViewType.Single && vt.ItemType != NumberDataViewType.Double))
            throw new ArgumentException($"graph featurizer: feature column '{_options.InputColumn}' is {input.Type}; a fixed-size Single or Double vector was expected.");
    }

    private static string ColumnList(DataViewSchema schema) => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name));

    public void Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);

    public void SaveState(ModelStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("kind", (int)_options.Kind);
        writer.Write("xColumn", _options.XColumn);
        writer.Write("yColumn", _options.YColumn);
        writer.Write("inputColumn", _options.InputColumn);
        writer.Write("k", _options.K);
        writer.Write("metric", (int)_options.Metric);
        writer.Write("algorithm", (int)_options.Algorithm);
        writer.Write("exactThreshold", _options.ExactThreshold);
        writer.Write("seed", _options.Seed);
        writer.Write("outputColumnPrefix", _options.OutputColumnPrefix);
    }

    internal static GraphFeaturizerTransformer LoadState(MLContext context, ModelStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new GraphFeaturizerTransformer(new GraphFeaturizerOptions
        {
            Kind = (GraphKind)reader.GetInt32("kind"),
            XColumn = reader.GetString("xColumn") ?? "",
            YColumn = reader.GetString("yColumn") ?? "",
            InputColumn = reader.GetString("inputColumn"),
            K = reader.GetInt32("k"),
            Metric = (FeatureMetric)reader.GetInt32("metric"),
            Algorithm = (KnnAlgorithm)reader.GetInt32("algorithm"),
            ExactThreshold = reader.GetInt32("exactThreshold"),
            Seed = reader.GetInt32("seed"),
            OutputColumnPrefix = reader.GetString("outputColumnPrefix"),
        });
    }
}
