using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;

namespace MLNetSpatialOmics.Transforms;

/// <summary>Input column validation and reading for the transforms.</summary>
internal static class ColumnChecks
{
    public static DataViewSchema.Column RequireNumericVector(DataViewSchema schema, string name, string transform)
    {
        var col = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"{transform}: the input has no column '{name}'; its columns are: " +
                $"{string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (col.Type is not VectorDataViewType vt || !vt.IsKnownSize || (vt.ItemType != NumberDataViewType.Single && vt.ItemType != NumberDataViewType.Double))
            throw new ArgumentException($"{transform}: column '{name}' must be a fixed-size vector of Single or Double, but it is {col.Type}.");
        return col;
    }

    /// <summary>Reads the column as CSR when its vectors are sparse, dense otherwise, with its slot names.</summary>
    public static (FeatureMatrix Matrix, string[]? SlotNames) Read(IDataView view, string name, string transform)
    {
        var col = RequireNumericVector(view.Schema, name, transform);
        var names = DataViewReader.ReadSlotNames(col);
        var m = SparseVectorReader.FirstRowIsSparse(view, name)
            ? new FeatureMatrix(SparseVectorReader.ReadCsr(view, name))
            : new FeatureMatrix(DataViewReader.ReadVectorColumn(view, name));
        if (m.Rows == 0) throw new ArgumentException($"{transform}: column '{name}' has no rows.");
        return (m, names);
    }

    public static void RequireColumnName(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"{what} must be set.");
    }
}

/// <summary>Output schemas: the input schema plus one float vector column (replacing a same-named input column).</summary>
internal static class OutputSchemas
{
    private static readonly ThreadLocal<MLContext> ShapeContext = new(() => new MLContext(seed: 0));

    public static DataViewSchema Append(DataViewSchema input, string name, int width, string[]? slotNames)
    {
        var probe = new InMemoryDataView(new[] { InMemoryColumn.Vector(name, Array.Empty<float>(), Math.Max(width, 1), slotNames) });
        var builder = new DataViewSchema.Builder();
        foreach (var c in input)
            if (!c.IsHidden && c.Name != name) builder.AddColumn(c.Name, c.Type, c.Annotations);
        var o = probe.Schema[name];
        builder.AddColumn(o.Name, o.Type, o.Annotations);
        return builder.ToSchema();
    }

    /// <summary>
    /// Estimator output shape: the input shape plus a float vector column. SchemaShape's constructors are internal to
    /// ML.NET, so the shape is derived through two public estimators (copy, then convert to Single).
    /// </summary>
    public static SchemaShape Append(SchemaShape input, string inputColumn, string outputColumn, string transform)
    {
        var col = input.FirstOrDefault(c => c.Name == inputColumn);
        if (col.Name is null)
            throw new ArgumentException($"{transform}: the input has no column '{inputColumn}'; its columns are: {string.Join(", ", input.Select(c => c.Name))}.");
        if (col.Kind != SchemaShape.Column.VectorKind.Vector || (col.ItemType != NumberDataViewType.Single && col.ItemType != NumberDataViewType.Double))
            throw new ArgumentException($"{transform}: column '{inputColumn}' must be a fixed-size vector of Single or Double, but it is {col.Kind} of {col.ItemType}.");
        var context = ShapeContext.Value!;
        var copied = context.Transforms.CopyColumns(outputColumn, inputColumn).GetOutputSchema(input);
        return context.Transforms.Conversion.ConvertType(outputColumn, outputColumn, DataKind.Single).GetOutputSchema(copied);
    }
}
