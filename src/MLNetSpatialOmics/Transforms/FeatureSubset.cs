using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// Keeps a fitted subset of features (highly variable genes, genes seen in enough spots), in their original order.
/// On a new section the fitted input features are matched by name first, so the same genes come out in the same
/// order; sparse input stays sparse.
/// </summary>
[PersistableTransformer("SO.FeatureSubset")]
public sealed class FeatureSubsetTransformer : SectionColumnTransformer
{
    /// <summary>Indices of the kept features in the fitted input column.</summary>
    public IReadOnlyList<int> SelectedIndices => _selected;
    private readonly int[] _selected;
    private readonly string _displayName;

    internal FeatureSubsetTransformer(IHostEnvironment context, string displayName, string input, string output, string[]? names, int width, int[] selected)
        : base(context, input, output, names, width)
    {
        if (selected.Length == 0) throw new ArgumentException($"{displayName}: no features were selected from column '{input}'.");
        _selected = selected;
        _displayName = displayName;
    }

    private protected override string DisplayName => _displayName;

    /// <summary>Names of the kept features (null when the fitted column had no slot names).</summary>
    public IReadOnlyList<string>? SelectedNames => FittedFeatureNames is { } n ? _selected.Select(i => n[i]).ToArray() : null;

    private protected override InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames) =>
        OutputColumn(OutputColumnName, x.SelectColumns(_selected), OutputSlotNames(inputSlotNames));

    private protected override int OutputWidth(int inputWidth) => _selected.Length;
    private protected override string[]? OutputSlotNames(string[]? inputSlotNames) =>
        inputSlotNames is null ? null : _selected.Select(i => inputSlotNames[i]).ToArray();

    private protected override void SaveCore(ModelStateWriter writer)
    {
        writer.Write("Selected", _selected);
        writer.Write("DisplayName", _displayName);
    }

    internal static FeatureSubsetTransformer LoadState(IHostEnvironment context, ModelStateReader reader)
    {
        var c = LoadCommon(reader);
        return new FeatureSubsetTransformer(context, c.Parameters.GetString("DisplayName")!, c.Input, c.Output, c.Names, c.Width,
            c.Parameters.GetInt32Array("Selected"));
    }
}

/// <summary>Options of <see cref="SelectHighlyVariableFeaturesEstimator"/>.</summary>
public sealed class SelectHighlyVariableFeaturesOptions
{
    /// <summary>The column that is subset (e.g. log-normalised RNA).</summary>
    public string InputColumnName { get; set; } = "";
    /// <summary>Defaults to the input column (replacing it).</summary>
    public string? OutputColumnName { get; set; }
    /// <summary>The column the statistics are computed on, when it differs from the input: seurat_v3 needs raw counts
    /// (PRAGA selects on counts, then subsets the normalised data). Must have the same features in the same order.</summary>
    public string? StatisticsColumnName { get; set; }
    public HvgFlavor Flavor { get; set; } = HvgFlavor.SeuratV3;
    /// <summary>How many features to keep. Asking for at least as many as there are keeps all of them, with a warning
    /// (scanpy's seurat_v3 does the same silently; its seurat flavour fails).</summary>
    public int TopFeatureCount { get; set; } = 2000;
    /// <summary>Features non-zero in fewer spots are dropped before selection (scanpy <c>filter_genes(min_cells)</c>); 0 = off.</summary>
    public int MinSpots { get; set; }
    /// <summary>seurat flavour: number of mean bins.</summary>
    public int Bins { get; set; } = 20;
    /// <summary>seurat_v3 flavour: LOESS span.</summary>
    public double Span { get; set; } = 0.3;
    /// <summary>Receives the "more features asked than exist" warning at fit time.</summary>
    public Action<string>? OnWarning { get; set; }
}

/// <summary>Selects highly variable features (scanpy flavours seurat / seurat_v3, single batch); see <see cref="HighlyVariableFeatures"/>.</summary>
public sealed class SelectHighlyVariableFeaturesEstimator : SectionColumnEstimator<FeatureSubsetTransformer>
{
    private readonly SelectHighlyVariableFeaturesOptions _options;
    public SelectHighlyVariableFeaturesEstimator(IHostEnvironment context, SelectHighlyVariableFeaturesOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "SelectHighlyVariableFeatures: InputColumnName");
        if (options.TopFeatureCount < 1) throw new ArgumentOutOfRangeException(nameof(options), options.TopFeatureCount, "SelectHighlyVariableFeatures: TopFeatureCount must be at least 1.");
        if (options.MinSpots < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MinSpots, "SelectHighlyVariableFeatures: MinSpots must be non-negative.");
        if (options.Bins < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Bins, "SelectHighlyVariableFeatures: Bins must be at least 1.");
    }
    private protected override string DisplayName => "SelectHighlyVariableFeatures";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName ?? _options.InputColumnName;

    public override FeatureSubsetTransformer Fit(IDataView input)
    {
        string statsColumn = _options.StatisticsColumnName ?? InputColumn;
        var (stats, statNames) = ReadTrainingColumn(input, statsColumn);
        var inputCol = ColumnChecks.RequireNumericVector(input.Schema, InputColumn, DisplayName);
        var names = DataViewReader.ReadSlotNames(inputCol);
        int width = ((Microsoft.ML.Data.VectorDataViewType)inputCol.Type).Size;
        if (width != stats.Cols)
            throw new ArgumentException($"{DisplayName}: statistics column '{statsColumn}' has {stats.Cols} features, input column '{InputColumn}' has {width}.");
        if (names is not null && statNames is not null && !names.SequenceEqual(statNames))
            throw new ArgumentException($"{DisplayName}: statistics column '{statsColumn}' and input column '{InputColumn}' have different slot names; they must hold the same features in the same order.");
        if (_options.Flavor == HvgFlavor.SeuratV3) InputChecks.RequireNonNegative(stats, statsColumn, DisplayName);
        else InputChecks.RequireFinite(stats, statsColumn, DisplayName);

        int[] candidates = Enumerable.Range(0, stats.Cols).ToArray();
        if (_options.MinSpots > 0)
        {
            var nz = stats.NonZeroSpotsPerFeature();
            candidates = candidates.Where(j => nz[j] >= _options.MinSpots).ToArray();
            if (candidates.Length == 0)
                throw new ArgumentException($"{DisplayName}: no feature of column '{statsColumn}' is non-zero in at least {_options.MinSpots} spots.");
        }
        var sub = candidates.Length == stats.Cols ? stats : stats.SelectColumns(candidates);
        if (_options.TopFeatureCount >= sub.Cols)
            TransformWarnings.Emit(Context, _options.OnWarning,
                $"{DisplayName}: {_options.TopFeatureCount} features were asked of column '{statsColumn}' but only {sub.Cols} are available; all are kept.");
        int[] chosen = _options.Flavor == HvgFlavor.SeuratV3
            ? HighlyVariableFeatures.SeuratV3(sub, _options.TopFeatureCount, _options.Span)
            : HighlyVariableFeatures.Seurat(sub, _options.TopFeatureCount, _options.Bins);
        var selected = chosen.Select(k => candidates[k]).ToArray();
        return new FeatureSubsetTransformer(Context, DisplayName, InputColumn, OutputColumn, names, width, selected);
    }
}

/// <summary>Options of <see cref="FilterFeaturesEstimator"/>.</summary>
public sealed class FilterFeaturesOptions
{
    public string InputColumnName { get; set; } = "";
    /// <summary>Defaults to the input column (replacing it).</summary>
    public string? OutputColumnName { get; set; }
    /// <summary>Keep features that are non-zero in at least this many spots (scanpy <c>filter_genes(min_cells)</c>).</summary>
    public int MinSpots { get; set; } = 10;
}

/// <summary>Drops features seen in too few spots; the kept set is fitted and reapplied by name to new sections.</summary>
public sealed class FilterFeaturesEstimator : SectionColumnEstimator<FeatureSubsetTransformer>
{
    private readonly FilterFeaturesOptions _options;
    public FilterFeaturesEstimator(IHostEnvironment context, FilterFeaturesOptions options) : base(context)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ColumnChecks.RequireColumnName(options.InputColumnName, "FilterFeatures: InputColumnName");
        if (options.MinSpots < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MinSpots, "FilterFeatures: MinSpots must be non-negative.");
    }
    private protected override string DisplayName => "FilterFeatures";
    private protected override string InputColumn => _options.InputColumnName;
    private protected override string OutputColumn => _options.OutputColumnName ?? _options.InputColumnName;

    public override FeatureSubsetTransformer Fit(IDataView input)
    {
        var (x, names) = ReadTrainingColumn(input);
        InputChecks.RequireFinite(x, InputColumn, DisplayName);
        var nz = x.NonZeroSpotsPerFeature();
        var kept = Enumerable.Range(0, x.Cols).Where(j => nz[j] >= _options.MinSpots).ToArray();
        if (kept.Length == 0)
            throw new ArgumentException($"{DisplayName}: no feature of column '{InputColumn}' is non-zero in at least {_options.MinSpots} spots.");
        return new FeatureSubsetTransformer(Context, DisplayName, InputColumn, OutputColumn, names, x.Cols, kept);
    }
}
