using Microsoft.ML;
using Microsoft.ML.Runtime;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// Base of the preprocessing transformers: reads one numeric vector column of a whole section (sparse when its
/// vectors are sparse), computes a new float vector column and appends it to the view. Fitted transformers record the
/// input's slot names and, on a new section, match features by name: fitted features the section lacks are
/// zero-filled with a warning (<see cref="OnWarning"/> and the MLContext log); no overlap at all is an error.
/// Whole-section transforms are not row-to-row mappers (statistics such as CLR's divisor or PCA need every spot).
/// </summary>
public abstract class SectionColumnTransformer : IPersistableTransformer, ICanSaveModel
{
    private protected readonly IHostEnvironment Context;

    public string InputColumnName { get; }
    public string OutputColumnName { get; }
    /// <summary>Slot names of the input column at fit time; null for stateless transforms or inputs without names.</summary>
    public IReadOnlyList<string>? FittedFeatureNames => _fittedNames;
    /// <summary>Input width at fit time; −1 for stateless transforms (which accept any width).</summary>
    public int FittedFeatureCount { get; }
    /// <summary>Receives warnings (e.g. missing features). Not saved with the model; set it again after loading.</summary>
    public Action<string>? OnWarning { get; set; }

    private readonly string[]? _fittedNames;
    private protected abstract string DisplayName { get; }

    private protected SectionColumnTransformer(IHostEnvironment context, string inputColumnName, string outputColumnName,
        string[]? fittedNames, int fittedFeatureCount)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        if (string.IsNullOrWhiteSpace(inputColumnName)) throw new ArgumentException("input column name must not be empty.", nameof(inputColumnName));
        if (string.IsNullOrWhiteSpace(outputColumnName)) throw new ArgumentException("output column name must not be empty.", nameof(outputColumnName));
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        _fittedNames = fittedNames;
        FittedFeatureCount = fittedFeatureCount;
    }

    public bool IsRowToRowMapper => false;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException($"{DisplayName} works on a whole section at once, so it has no row-to-row mapper; call Transform(IDataView).");

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var col = ColumnChecks.RequireNumericVector(inputSchema, InputColumnName, DisplayName);
        var names = DataViewReader.ReadSlotNames(col);
        int width = ((VectorDataViewType)col.Type).Size;
        int outWidth = OutputWidth(FittedFeatureCount >= 0 ? FittedFeatureCount : width);
        var outNames = OutputSlotNames(FittedFeatureCount >= 0 ? _fittedNames : names);
        return OutputSchemas.Append(inputSchema, OutputColumnName, outWidth, outNames);
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (x, names) = ColumnChecks.Read(input, InputColumnName, DisplayName);
        if (FittedFeatureCount >= 0)
        {
            x = Align(x, names);
            names = _fittedNames;
        }
        var column = Compute(x, names);
        return new InMemoryDataView(input, new[] { column });
    }

    private FeatureMatrix Align(FeatureMatrix x, string[]? names)
    {
        if (_fittedNames is null || names is null)
        {
            if (x.Cols != FittedFeatureCount)
                throw new ArgumentException($"{DisplayName}: column '{InputColumnName}' has {x.Cols} features but the transform was fitted on {FittedFeatureCount}, " +
                    "and features cannot be matched by name because " + (_fittedNames is null ? "the training column had no slot names." : "this column has no slot names."));
            return x;
        }
        var map = FeatureAlignment.Map(_fittedNames, names);
        if (FeatureAlignment.IsIdentity(map, names.Length)) return x;
        int missing = map.Count(m => m < 0);
        if (missing == map.Length)
            throw new ArgumentException($"{DisplayName}: none of the {map.Length} features it was fitted on occurs in column '{InputColumnName}' " +
                $"(its {names.Length} slot names start {string.Join(", ", names.Take(5))}; fitted ones start {string.Join(", ", _fittedNames.Take(5))}).");
        if (missing > 0)
        {
            var examples = string.Join(", ", Enumerable.Range(0, map.Length).Where(f => map[f] < 0).Take(10).Select(f => _fittedNames[f]));
            TransformWarnings.Emit(Context, OnWarning,
                $"{DisplayName}: {missing} of {map.Length} fitted features are missing from column '{InputColumnName}' and are zero-filled (e.g. {examples}).");
        }
        return FeatureAlignment.Apply(x, map);
    }

    /// <summary>The output column from the (aligned) input matrix.</summary>
    private protected abstract InMemoryColumn Compute(FeatureMatrix x, string[]? inputSlotNames);
    private protected abstract int OutputWidth(int inputWidth);
    private protected abstract string[]? OutputSlotNames(string[]? inputSlotNames);
    private protected abstract void SaveCore(ModelStateWriter writer);

    public void SaveState(ModelStateWriter writer)
    {
        writer.Write("InputColumn", InputColumnName);
        writer.Write("OutputColumn", OutputColumnName);
        writer.Write("FittedFeatureCount", FittedFeatureCount);
        writer.Write("HasFittedNames", _fittedNames is not null);
        if (_fittedNames is not null) writer.Write("FittedNames", _fittedNames);
        SaveCore(writer.Child("Parameters"));
    }

    private protected readonly record struct CommonState(string Input, string Output, string[]? Names, int Width, ModelStateReader Parameters);

    private protected static CommonState LoadCommon(ModelStateReader reader) => new(
        reader.GetString("InputColumn")!, reader.GetString("OutputColumn")!,
        reader.GetBool("HasFittedNames") ? reader.GetStringArray("FittedNames") : null,
        reader.GetInt32("FittedFeatureCount"), reader.GetChild("Parameters"));

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);

    private protected static InMemoryColumn OutputColumn(string name, FeatureMatrix m, string[]? slotNames) =>
        m.Sparse is { } s ? SparseVectorColumn.FromCsr(name, s, slotNames) : DenseOutput(name, m.Dense!, slotNames);

    private protected static InMemoryColumn DenseOutput(string name, DenseMatrix m, string[]? slotNames)
    {
        if (m.Cols == 0) throw new InvalidOperationException($"output column '{name}' would have no features.");
        return InMemoryColumn.Vector(name, m, slotNames);
    }

    private protected static string[] Numbered(string prefix, int count) =>
        Enumerable.Range(1, count).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
