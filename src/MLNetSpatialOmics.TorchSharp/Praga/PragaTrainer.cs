using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>
/// PRAGA (prototype-aware graph adaptive aggregation) as an ML.NET estimator: one IDataView row per spot, X/Y
/// coordinates and 1–3 preprocessed modality columns in; <c>Embedding</c>, <c>PredictedLabel</c> and <c>Score</c> out.
/// </summary>
public sealed class PragaTrainer : IEstimator<PragaTransformer>
{
    private readonly MLContext _context;
    private readonly PragaOptions _options;

    public PragaTrainer(MLContext context, PragaOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
    }

    public PragaTransformer Fit(IDataView input)
    {
        var (coordinates, modalities, slotNames) = ReadSection(input, _options);
        var result = TorchRuntime.RunFit(() => PragaFitter.Fit(coordinates, modalities, _options));
        var fingerprint = SectionFingerprint.Compute(coordinates, modalities);
        return new PragaTransformer(_context, PragaTransformer.Snapshot(_options), result.Network, result.Clustering,
            modalities.Select(m => m.Cols).ToArray(), slotNames, result.LatentDim, fingerprint, result.Embedding)
        {
            TrainingHistory = result.History,
        };
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        TrainerInputs.RequireColumns(inputSchema, _options.ModalityColumns.Append(_options.XColumn).Append(_options.YColumn), "PRAGA");
        return PragaTransformer.OutputShape(inputSchema, _options.ResolvedLatentDimension(), _options.Clusters);
    }

    internal static (DenseMatrix Coordinates, DenseMatrix[] Modalities, string[]?[] SlotNames) ReadSection(IDataView input, PragaOptions options) =>
        TrainerInputs.Read(input, options.XColumn, options.YColumn, options.ModalityColumns, "PRAGA");
}

/// <summary>A hash of a section's coordinates and features: recognises the training section at transform time.</summary>
internal static class SectionFingerprint
{
    public static string Compute(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(DenseMatrix m)
        {
            sha.AppendData(BitConverter.GetBytes(m.Rows));
            sha.AppendData(BitConverter.GetBytes(m.Cols));
            var floats = new float[m.Data.Length];
            for (int i = 0; i < floats.Length; i++) floats[i] = (float)m.Data[i];
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
        }
        Add(coordinates);
        foreach (var m in modalities) Add(m);
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
