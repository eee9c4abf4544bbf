using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Options of <see cref="TfIdfLsiEstimator"/>.</summary>
public sealed class TfIdfLsiOptions
{
    public string InputColumnName { get; set; } = "";
    public string OutputColumnName { get; set; } = "";
    /// <summary>Output width. With <see cref="LsiOutput.PragaStandardisedU"/> the SVD computes Components + 1 and drops the first
    /// (PRAGA: 100 outputs from 101 components); with <see cref="LsiOutput.ScaledU"/> it computes exactly Components.</summary>
    public int Components { get; set; } = 100;
    public LsiOutput Output { get; set; } = LsiOutput.PragaStandardisedU;
    /// <summary>L1-normalise each row of tf·idf again before the log, as the released <c>lsi()</c> code does.</summary>
    public bool SecondL1Normalisation { get; set; } = true;
    public double ScaleFactor { get; set; } = 1e4;
    public SvdSolver Solver { get; set; } = SvdSolver.Auto;
    public int Seed { get; set; }
    public int PowerIterations { get; set; } = 7;
}

/// <summary>
/// TF-IDF + log + truncated SVD for ATAC peaks (SpatialGlue/PRAGA <c>lsi()</c>), no centring. idf and the SVD basis are
/// fitted; a new section is projected as U = X·Vᵀ·S⁻¹ and post-processed the same way.
/// </summary>
public sealed class TfIdfLsiEstimator : SectionColumnEstimator<TfIdfLsiTransformer>
{
    private readonly TfIdfLsiOptions _options;
    public TfIdfLsiEstimator(IHostEnvironment context, TfIdfLsiOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "TfIdfLsi: InputColumnName");
        ColumnChecks.RequireColumnName(options.OutputColumnName, "TfIdfLsi: OutputColumnName");
        if (options.Components < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Components, "TfIdfLsi: Components must be at least 1.");
        if (!(options.ScaleFactor > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.ScaleFactor, "TfIdfLsi: ScaleFactor must be positive.");
    }
    private protected override string DisplayName => "TfIdfLsi";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName;

    public override TfIdfLsiTransformer Fit(IDataView input)
    {
        var (x, names) = ReadTrainingColumn(input);
        InputChecks.RequireNonNegative(x, InputColumn, DisplayName);
        int svd = _options.Output == LsiOutput.PragaStandardisedU ? _options.Components + 1 : _options.Components;
        if (svd > Math.Min(x.Rows, x.Cols))
            throw new ArgumentException($"TfIdfLsi: {_options.Components} components ({svd} SVD components) were asked of column '{InputColumn}', " +
                $"but {x.Rows} spots × {x.Cols} features give at most {Math.Min(x.Rows, x.Cols)} SVD components.");
        var model = LsiModel.Fit(x, svd, _options.Output, _options.SecondL1Normalisation, _options.ScaleFactor,
            _options.Solver, _options.Seed, _options.PowerIterations);
        return new TfIdfLsiTransformer(Context, InputColumn, OutputColumn, names, x.Cols, model);
    }
}

[PersistableTransformer("SO.TfIdfLsi")]
public sealed class TfIdfLsiTransformer : SectionColumnTransformer
{
    public LsiModel Model { get; }

    internal TfIdfLsiTransformer(IHostEnvironment context, string input, string output, string[]? names, int width, LsiModel model)
        : base(context, input, output, names, width) => Model = model;

    private protected override string DisplayName => "TfIdfLsi";

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames)
    {
        InputChecks.RequireNonNegative(x, InputColumnName, DisplayName);
        return DenseOutput(OutputColumnName, Model.Transform(x), OutputSlotNames(null));
    }

    private protected override int OutputWidth(int inputWidth) => Model.OutputWidth;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) => Numbered("LSI", Model.OutputWidth);

    private protected override void SaveCore(ModelStateWriter writer)
    {
        writer.Write("Idf", Model.Idf); writer.Write("SecondL1", Model.SecondL1Normalisation); writer.Write("ScaleFactor", Model.ScaleFactor);
        writer.Write("Vt", Model.Vt); writer.Write("SingularValues", Model.SingularValues); writer.Write("Output", (int)Model.Output);
    }

    internal static TfIdfLsiTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        var p = c.Parameters;
        var model = new LsiModel(p.GetDoubleArray("Idf"), p.GetBool("SecondL1"), p.GetDouble("ScaleFactor"), p.GetDense("Vt"),
            p.GetDoubleArray("SingularValues"), (LsiOutput)p.GetInt32("Output"));
        return new TfIdfLsiTransformer(context, c.Input, c.Output, c.Names, c.Width, model);
    }
}
