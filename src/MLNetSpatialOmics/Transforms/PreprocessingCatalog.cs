using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// <c>mlContext.Transforms.*</c> entry points of the preprocessing transforms. As in ML.NET, the output column comes
/// first and the input defaults to it (replace in place).
/// </summary>
public static class PreprocessingCatalog
{
    /// <summary>The host environment behind a catalog (ML.NET exposes it only through an internal interface).</summary>
    internal static IHostEnvironment Context(TransformsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var property = typeof(TransformsCatalog).GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog")?.GetProperty("Environment");
        return property?.GetValue(catalog) as IHostEnvironment
            ?? throw new InvalidOperationException("could not reach the environment behind this TransformsCatalog (Microsoft.ML internals changed; MLNetSpatialOmics expects 5.0.1). " +
                "Construct the estimator directly instead, e.g. new ScaleEstimator(mlContext, options).");
    }

    public static NormalizeTotalEstimator NormalizeTotal(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, double targetSum = 1e4) =>
        new(Context(catalog), new NormalizeTotalOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName, TargetSum = targetSum });

    public static NormalizeTotalEstimator NormalizeTotal(this TransformsCatalog catalog, NormalizeTotalOptions options) => new(Context(catalog), options);

    public static Log1pEstimator Log1p(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null) =>
        new(Context(catalog), new Log1pOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName });

    public static ClrEstimator Clr(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null) =>
        new(Context(catalog), new ClrOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName });

    public static ScaleEstimator Scale(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        int ddof = 1, ScaleClipMode clip = ScaleClipMode.None, double maxValue = 10) =>
        new(Context(catalog), new ScaleOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName, Ddof = ddof, Clip = clip, MaxValue = maxValue });

    public static ScaleEstimator Scale(this TransformsCatalog catalog, ScaleOptions options) => new(Context(catalog), options);

    public static SelectHighlyVariableFeaturesEstimator SelectHighlyVariableFeatures(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, int topFeatureCount = 2000, HvgFlavor flavor = HvgFlavor.SeuratV3, string? statisticsColumnName = null) =>
        new(Context(catalog), new SelectHighlyVariableFeaturesOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName,
            TopFeatureCount = topFeatureCount, Flavor = flavor, StatisticsColumnName = statisticsColumnName,
        });

    public static SelectHighlyVariableFeaturesEstimator SelectHighlyVariableFeatures(this TransformsCatalog catalog, SelectHighlyVariableFeaturesOptions options) =>
        new(Context(catalog), options);

    public static FilterFeaturesEstimator FilterFeatures(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, int minSpots = 10) =>
        new(Context(catalog), new FilterFeaturesOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName, MinSpots = minSpots });

    public static TfIdfLsiEstimator TfIdfLsi(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, int components = 100,
        LsiOutput output = LsiOutput.PragaStandardisedU) =>
        new(Context(catalog), new TfIdfLsiOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Components = components, Output = output });

    public static TfIdfLsiEstimator TfIdfLsi(this TransformsCatalog catalog, TfIdfLsiOptions options) => new(Context(catalog), options);

    public static PcaEstimator Pca(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, int components = 50,
        SvdSolver solver = SvdSolver.Auto, int seed = 0) =>
        new(Context(catalog), new PcaOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Components = components, Solver = solver, Seed = seed });

    public static PcaEstimator Pca(this TransformsCatalog catalog, PcaOptions options) => new(Context(catalog), options);
}
