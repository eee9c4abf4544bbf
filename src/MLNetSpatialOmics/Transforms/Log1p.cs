using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Options of <see cref="Log1pEstimator"/>.</summary>
public sealed class Log1pOptions
{
    public string InputColumnName { get; set; } = "";
    /// <summary>Defaults to the input column (replacing it).</summary>
    public string? OutputColumnName { get; set; }
}

/// <summary>Natural log(1 + x) of every entry (scanpy <c>log1p</c>). Negative or non-finite input is an error. Sparse stays sparse.</summary>
public sealed class Log1pEstimator : SectionColumnEstimator<Log1pTransformer>
{
    private readonly Log1pOptions _options;
    public Log1pEstimator(IHostEnvironment context, Log1pOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "Log1p: InputColumnName");
    }
    private protected override string DisplayName => "Log1p";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName ?? _options.InputColumnName;

    public override Log1pTransformer Fit(IDataView input)
    {
        ColumnChecks.RequireNumericVector(input.Schema, InputColumn, DisplayName);
        return new Log1pTransformer(Context, InputColumn, OutputColumn);
    }
}

[PersistableTransformer("SO.Log1p")]
public sealed class Log1pTransformer : SectionColumnTransformer
{
    internal Log1pTransformer(IHostEnvironment context, string input, string output) : base(context, input, output, null, -1) { }

    private protected override string DisplayName => "Log1p";

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames)
    {
        InputChecks.RequireNonNegative(x, InputColumnName, DisplayName);
        return OutputColumn(OutputColumnName, CountKernels.Log1p(x), inputSlotNames);
    }

    private protected override int OutputWidth(int inputWidth) => inputWidth;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) => inputSlotNames;
    private protected override void SaveCore(ModelStateWriter writer) { }

    internal static Log1pTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        return new Log1pTransformer(context, c.Input, c.Output);
    }
}
