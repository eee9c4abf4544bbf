using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp.Praga;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// CRCT (clustering rare cell types): PRAGA's graph model trained with implicit semantic data augmentation. Same input
/// and output columns as <see cref="PragaTrainer"/> (<c>Embedding</c>, <c>PredictedLabel</c>, <c>Score</c>).
/// </summary>
public sealed class CrctTrainer : IEstimator<CrctTransformer>
{
    private readonly MLContext _context;
    private readonly CrctOptions _options;

    public CrctTrainer(MLContext context, CrctOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
    }

    public CrctTransformer Fit(IDataView input)
    {
        var (coordinates, modalities, slotNames) = PragaTrainer.ReadSection(input, _options.Praga);
        var result = TorchRuntime.RunFit(() => CrctFitter.Fit(coordinates, modalities, _options));
        var fingerprint = SectionFingerprint.Compute(coordinates, modalities);
        var snapshot = _options.Snapshot();
        var inner = new PragaTransformer(_context, snapshot.Praga, result.Network, result.Clustering,
            modalities.Select(m => m.Cols).ToArray(), slotNames, result.LatentDim, fingerprint, result.Embedding);
        return new CrctTransformer(inner, snapshot.Variant) { TrainingHistory = result.History };
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => new PragaTrainer(_context, _options.Praga).GetOutputSchema(inputSchema);
}
