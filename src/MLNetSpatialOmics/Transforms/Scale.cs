using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Options of <see cref="ScaleEstimator"/>.</summary>
public sealed class ScaleOptions
{
    public string InputColumnName { get; set; } = "";
    /// <summary>Defaults to the input column (replacing it).</summary>
    public string? OutputColumnName { get; set; }
    /// <summary>1 (default): scanpy's unbiased sd (n − 1), what SpatialGlue/PRAGA get; 0: population sd (StandardScaler).</summary>
    public int Ddof { get; set; } = 1;
    public ScaleClipMode Clip { get; set; } = ScaleClipMode.None;
    /// <summary>scanpy's <c>max_value</c>, used when <see cref="Clip"/> is not None.</summary>
    public double MaxValue { get; set; } = 10;
}

/// <summary>
/// Per-feature z-scoring as <c>scanpy.pp.scale</c>: means and sds are fitted on the training section and reused on new
/// ones; sd 0 becomes 1 (the feature then scales to 0). The output is dense (centring fills in the zeros).
/// </summary>
public sealed class ScaleEstimator : SectionColumnEstimator<ScaleTransformer>
{
    private readonly ScaleOptions _options;
    public ScaleEstimator(IHostEnvironment context, ScaleOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "Scale: InputColumnName");
        if (options.Ddof is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(options), options.Ddof, "Scale: Ddof must be 0 or 1.");
        if (options.Clip != ScaleClipMode.None && !(options.MaxValue > 0))
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxValue, "Scale: MaxValue must be positive when clipping.");
    }
    private protected override string DisplayName => "Scale";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName ?? _options.InputColumnName;

    public override ScaleTransformer Fit(IDataView input)
    {
        var (x, names) = ReadTrainingColumn(input);
        InputChecks.RequireFinite(x, InputColumn, DisplayName);
        var (mean, sd) = ScaleKernel.Fit(x, _options.Ddof);
        return new ScaleTransformer(Context, InputColumn, OutputColumn, names, x.Cols, mean, sd, _options.Ddof, _options.Clip, _options.MaxValue);
    }
}

[PersistableTransformer("SO.Scale")]
public sealed class ScaleTransformer : SectionColumnTransformer
{
    public IReadOnlyList<double> Mean => _mean;
    /// <summary>The sds used (0 replaced by 1).</summary>
    public IReadOnlyList<double> Sd => _sd;
    public int Ddof { get; }
    public ScaleClipMode Clip { get; }
    public double MaxValue { get; }
    private readonly double[] _mean, _sd;

    internal ScaleTransformer(IHostEnvironment context, string input, string output, string[]? names, int width,
        double[] mean, double[] sd, int ddof, ScaleClipMode clip, double maxValue)
        : base(context, input, output, names, width)
    {
        _mean = mean; _sd = sd; Ddof = ddof; Clip = clip; MaxValue = maxValue;
    }

    private protected override string DisplayName => "Scale";

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames)
    {
        InputChecks.RequireFinite(x, InputColumnName, DisplayName);
        var values = ScaleKernel.ApplyToSingle(x, _mean, _sd, Clip, MaxValue);
        return InMemoryColumn.Vector(OutputColumnName, values, x.Cols, inputSlotNames);
    }

    private protected override int OutputWidth(int inputWidth) => inputWidth;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) => inputSlotNames;

    private protected override void SaveCore(ModelStateWriter writer)
    {
        writer.Write("Mean", _mean); writer.Write("Sd", _sd); writer.Write("Ddof", Ddof);
        writer.Write("Clip", (int)Clip); writer.Write("MaxValue", MaxValue);
    }

    internal static ScaleTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        var p = c.Parameters;
        return new ScaleTransformer(context, c.Input, c.Output, c.Names, c.Width, p.GetDoubleArray("Mean"), p.GetDoubleArray("Sd"),
            p.GetInt32("Ddof"), (ScaleClipMode)p.GetInt32("Clip"), p.GetDouble("MaxValue"));
    }
}
