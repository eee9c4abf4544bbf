using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Options of <see cref="NormalizeTotalEstimator"/>.</summary>
public sealed class NormalizeTotalOptions
{
    public string InputColumnName { get; set; } = "";
    /// <summary>Defaults to the input column (replacing it).</summary>
    public string? OutputColumnName { get; set; }
    /// <summary>Each spot is scaled to this total (scanpy's <c>target_sum</c>, 1e4 in SpatialGlue/PRAGA).</summary>
    public double TargetSum { get; set; } = 1e4;
}

/// <summary>Per-spot total-count normalisation (scanpy <c>normalize_total</c>); an all-zero spot stays zero. Sparse stays sparse.</summary>
public sealed class NormalizeTotalEstimator : SectionColumnEstimator<NormalizeTotalTransformer>
{
    private readonly NormalizeTotalOptions _options;
    public NormalizeTotalEstimator(IHostEnvironment context, NormalizeTotalOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "NormalizeTotal: InputColumnName");
        if (!(options.TargetSum > 0) || !double.IsFinite(options.TargetSum))
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetSum, "NormalizeTotal: TargetSum must be a positive finite number.");
    }
    private protected override string DisplayName => "NormalizeTotal";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName ?? _options.InputColumnName;

    public override NormalizeTotalTransformer Fit(IDataView input)
    {
        ColumnChecks.RequireNumericVector(input.Schema, InputColumn, DisplayName);
        return new NormalizeTotalTransformer(Context, InputColumn, OutputColumn, _options.TargetSum);
    }
}

[PersistableTransformer("SO.NormalizeTotal")]
public sealed class NormalizeTotalTransformer : SectionColumnTransformer
{
    public double TargetSum { get; }

    internal NormalizeTotalTransformer(IHostEnvironment context, string input, string output, double targetSum)
        : base(context, input, output, null, -1) => TargetSum = targetSum;

    private protected override string DisplayName => "NormalizeTotal";

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames)
    {
        InputChecks.RequireNonNegative(x, InputColumnName, DisplayName);
        return OutputColumn(OutputColumnName, CountKernels.NormalizeTotal(x, TargetSum), inputSlotNames);
    }

    private protected override int OutputWidth(int inputWidth) => inputWidth;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) => inputSlotNames;
    private protected override void SaveCore(ModelStateWriter writer) => writer.Write("TargetSum", TargetSum);

    internal static NormalizeTotalTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        return new NormalizeTotalTransformer(context, c.Input, c.Output, c.Parameters.GetDouble("TargetSum"));
    }
}
