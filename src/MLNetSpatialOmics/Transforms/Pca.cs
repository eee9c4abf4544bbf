using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Options of <see cref="PcaEstimator"/>.</summary>
public sealed class PcaOptions
{
    public string InputColumnName { get; set; } = "";
    public string OutputColumnName { get; set; } = "";
    public int Components { get; set; } = 50;
    /// <summary>When set, the component count is decided at fit time as the width of this vector column plus
    /// <see cref="ComponentsOffset"/> (PRAGA: number of ADT features − 1), and <see cref="Components"/> is ignored.</summary>
    public string? ComponentsFromColumn { get; set; }
    public int ComponentsOffset { get; set; }
    /// <summary>Auto: exact for inputs up to a few ×10⁹ multiply-adds of work, randomized above.</summary>
    public SvdSolver Solver { get; set; } = SvdSolver.Auto;
    /// <summary>Seed of the randomized solver (ignored by the exact one).</summary>
    public int Seed { get; set; }
    public int PowerIterations { get; set; } = 7;
    /// <summary>When set (0 or 1 = ddof), z-score each feature first, as <c>Scale</c> without clipping would, but implicitly:
    /// sparse input stays sparse. The fitted sds are saved and applied to new sections.</summary>
    public int? StandardizeDdof { get; set; }
}

/// <summary>
/// Centred PCA (sklearn <c>PCA</c> semantics) on dense or sparse input; sparse input is centred implicitly, never
/// densified. Scores are (x − mean)·Vᵀ with signs fixed by sklearn 1.2.1's rule (the largest-|.| training score of
/// each component is positive). The fitted mean and basis are applied unchanged to new sections.
/// </summary>
public sealed class PcaEstimator : SectionColumnEstimator<PcaTransformer>
{
    private readonly PcaOptions _options;
    public PcaEstimator(IHostEnvironment context, PcaOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "Pca: InputColumnName");
        ColumnChecks.RequireColumnName(options.OutputColumnName, "Pca: OutputColumnName");
        if (options.ComponentsFromColumn is null && options.Components < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Components, "Pca: Components must be at least 1.");
        if (options.StandardizeDdof is { } d && d is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(options), d, "Pca: StandardizeDdof must be 0, 1 or null.");
        if (options.PowerIterations < 0) throw new ArgumentOutOfRangeException(nameof(options), options.PowerIterations, "Pca: PowerIterations must be non-negative.");
    }
    private protected override string DisplayName => "Pca";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName;

    public override PcaTransformer Fit(IDataView input)
    {
        int components = _options.Components;
        if (_options.ComponentsFromColumn is { } sizeColumn)
        {
            var col = ColumnChecks.RequireNumericVector(input.Schema, sizeColumn, DisplayName + " (ComponentsFromColumn)");
            components = ((Microsoft.ML.Data.VectorDataViewType)col.Type).Size + _options.ComponentsOffset;
            if (components < 1)
                throw new ArgumentException($"Pca: column '{sizeColumn}' has {components - _options.ComponentsOffset} features, so {components} components (offset {_options.ComponentsOffset}) is not a valid count.");
        }
        var (x, names) = ReadTrainingColumn(input);
        InputChecks.RequireFinite(x, InputColumn, DisplayName);
        if (components > Math.Min(x.Rows, x.Cols))
            throw new ArgumentException($"Pca: {components} components were asked of column '{InputColumn}', " +
                $"but {x.Rows} spots × {x.Cols} features give at most {Math.Min(x.Rows, x.Cols)}.");
        var model = PcaModel.Fit(x, components, _options.Solver, _options.Seed, _options.PowerIterations, _options.StandardizeDdof);
        return new PcaTransformer(Context, InputColumn, OutputColumn, names, x.Cols, model);
    }
}

[PersistableTransformer("SO.Pca")]
public sealed class PcaTransformer : SectionColumnTransformer
{
    public PcaModel Model { get; }

    internal PcaTransformer(IHostEnvironment context, string input, string output, string[]? names, int width, PcaModel model)
        : base(context, input, output, names, width) => Model = model;

    private protected override string DisplayName => "Pca";

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames)
    {
        InputChecks.RequireFinite(x, InputColumnName, DisplayName);
        return DenseOutput(OutputColumnName, Model.Transform(x), OutputSlotNames(null));
    }

    private protected override int OutputWidth(int inputWidth) => Model.ComponentCount;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) => Numbered("PC", Model.ComponentCount);

    private protected override void SaveCore(ModelStateWriter writer)
    {
        writer.Write("Mean", Model.Mean); writer.Write("Components", Model.Components);
        writer.Write("SingularValues", Model.SingularValues); writer.Write("ExplainedVariance", Model.ExplainedVariance);
        writer.Write("TotalVariance", Model.TotalVariance);
        writer.Write("Standardized", Model.Scale is not null);
        if (Model.Scale is not null) writer.Write("Scale", Model.Scale);
    }

    internal static PcaTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        var p = c.Parameters;
        var model = new PcaModel(p.GetDoubleArray("Mean"), p.GetDense("Components"), p.GetDoubleArray("SingularValues"),
            p.GetDoubleArray("ExplainedVariance"), p.GetDouble("TotalVariance"),
            p.GetBool("Standardized") ? p.GetDoubleArray("Scale") : null);
        return new PcaTransformer(context, c.Input, c.Output, c.Names, c.Width, model);
    }
}
