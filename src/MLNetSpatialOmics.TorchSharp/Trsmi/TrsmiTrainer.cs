using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.Praga;

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
        var result = FitLocked(() => TrsmiFitter.Fit(coordinates, modalities, _options));
        return new TrsmiTransformer(_context, _options.Snapshot(), result.Network, result.Clustering,
            modalities.Select(m => m.Cols).ToArray(), slotNames, SectionFingerprint.Compute(coordinates, modalities), result.Embedding)
        {
            TrainingHistory = result.History,
        };
    }

    private static T FitLocked<T>(Func<T> fit)
    {
        lock (TorchRuntime.FitLock) return fit();
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        foreach (var name in _options.ModalityColumns.Append(_options.XColumn).Append(_options.YColumn))
            if (!inputSchema.Any(c => c.Name == name))
                throw new ArgumentException($"TRSMI needs input column '{name}'; the input has: {string.Join(", ", inputSchema.Select(c => c.Name))}.");
        return PragaTransformer.OutputShape(inputSchema, _options.ResolvedLatentDimension(), _options.Clusters);
    }

    internal static (DenseMatrix Coordinates, DenseMatrix[] Modalities, string[]?[] SlotNames) ReadSection(IDataView input, TrsmiOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = DataViewReader.ReadScalarColumn(input, options.XColumn);
        var y = DataViewReader.ReadScalarColumn(input, options.YColumn);
        var coordinates = new DenseMatrix(x.Length, 2);
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"spot {i} has a non-finite coordinate ({options.XColumn}={x[i]}, {options.YColumn}={y[i]}).");
            coordinates[i, 0] = x[i];
            coordinates[i, 1] = y[i];
        }
        var modalities = new DenseMatrix[options.ModalityColumns.Length];
        var slots = new string[]?[modalities.Length];
        for (int m = 0; m < modalities.Length; m++)
        {
            var name = options.ModalityColumns[m];
            modalities[m] = DataViewReader.ReadVectorColumn(input, name);
            slots[m] = DataViewReader.ReadSlotNames(input, name);
            foreach (var v in modalities[m].Data)
                if (!double.IsFinite(v))
                    throw new ArgumentException($"modality column '{name}' contains a non-finite value; preprocess (normalise, PCA/LSI) before TRSMI.");
        }
        return (coordinates, modalities, slots);
    }
}
