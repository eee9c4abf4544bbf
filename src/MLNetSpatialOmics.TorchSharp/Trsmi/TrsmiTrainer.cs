using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.TorchSharp.GraphLearning;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// TRSMI (near-identity RPR encoders, temperature-controlled top-k cross-graph alignment, multi-scale APPNP with a
/// scheduled global/local gate) as an ML.NET estimator: one IDataView row per spot, X/Y coordinates and 1–3
/// preprocessed modality columns in; <c>Embedding</c>, <c>PredictedLabel</c> and <c>Score</c> out.
/// </summary>
public sealed class TrsmiTrainer : IEstimator<TrsmiTransformer>
{
    private readonly MLContext _context;
    private readonly TrsmiOptions _options;

    public TrsmiTrainer(MLContext context, TrsmiOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
    }

    public TrsmiTransformer Fit(IDataView input)
    {
        var (coordinates, modalities, slotNames) = ReadSection(input, _options);
        var result = TorchRuntime.RunFit(() => TrsmiFitter.Fit(coordinates, modalities, _options));
        return new TrsmiTransformer(_context, _options.Snapshot(), result.Network, result.Clustering,
            modalities.Select(m => m.Cols).ToArray(), slotNames, SectionFingerprint.Compute(coordinates, modalities), result.Embedding)
        {
            TrainingHistory = result.History,
        };
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        TrainerInputs.RequireColumns(inputSchema, _options.ModalityColumns.Append(_options.XColumn).Append(_options.YColumn), "TRSMI");
        return PragaTransformer.OutputShape(inputSchema, _options.ResolvedLatentDimension(), _options.Clusters);
    }

    internal static (DenseMatrix Coordinates, DenseMatrix[] Modalities, string[]?[] SlotNames) ReadSection(IDataView input, TrsmiOptions options) =>
        TrainerInputs.Read(input, options.XColumn, options.YColumn, options.ModalityColumns, "TRSMI");
}
