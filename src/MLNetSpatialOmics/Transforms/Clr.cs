using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Options of <see cref="ClrEstimator"/>.</summary>
public sealed class ClrOptions
{
    public string InputColumnName { get; set; } = "";
    /// <summary>Defaults to the input column (replacing it).</summary>
    public string? OutputColumnName { get; set; }
}

/// <summary>
/// Seurat-style centred log-ratio per spot as SpatialGlue/PRAGA's <c>clr_normalize_each_cell</c> (protein / ADT data):
/// y_j = log1p(x_j / g), g = exp(Σ_{x_j &gt; 0} log1p(x_j) / p) with p counting all features. Per spot, so nothing is
/// fitted; on a new section p is that section's feature count. Negative or non-finite counts are an error.
/// </summary>
public sealed class ClrEstimator : SectionColumnEstimator<ClrTransformer>
{
    private readonly ClrOptions _options;
    public ClrEstimator(IHostEnvironment context, ClrOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "Clr: InputColumnName");
    }
    private protected override string DisplayName => "Clr";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName ?? _options.InputColumnName;

    public override ClrTransformer Fit(IDataView input)
    {
        ColumnChecks.RequireNumericVector(input.Schema, InputColumn, DisplayName);
        return new ClrTransformer(Context, InputColumn, OutputColumn);
    }
}

[PersistableTransformer("SO.Clr")]
public sealed class ClrTransformer : SectionColumnTransformer
{
    internal ClrTransformer(IHostEnvironment context, string input, string output) : base(context, input, output, null, -1) { }

    private protected override string DisplayName => "Clr";

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames)
    {
        InputChecks.RequireNonNegative(x, InputColumnName, DisplayName);
        return OutputColumn(OutputColumnName, CountKernels.Clr(x, out _), inputSlotNames);
    }

    private protected override int OutputWidth(int inputWidth) => inputWidth;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) => inputSlotNames;
    private protected override void SaveCore(ModelStateWriter writer) { }

    internal static ClrTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        return new ClrTransformer(context, c.Input, c.Output);
    }
}
