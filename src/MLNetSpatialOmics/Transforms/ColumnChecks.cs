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
        ReleaseGarbageBeforeLargeRead(view, col);
        var m = FirstRowIsSparse(view, col)
            ? new FeatureMatrix(DataViewReader.ReadSparseVectorColumn(view, name))
            : new FeatureMatrix(ReadDense(view, col));
        if (m.Rows == 0) throw new ArgumentException($"{transform}: column '{name}' has no rows.");
        return (m, names);
    }

    /// <summary>
    /// Whole-section transforms allocate and drop several large arrays per step (a 50k × 18k count matrix is ~0.5 GB
    /// per copy). The GC's large-object budget on a big-memory machine lets such garbage pile up to several times the
    /// live data (10.7 GB peak vs 5.6 GB live measured on the 10x benchmark), so before reading a large column the
    /// previous steps' garbage is collected. Live data here are arrays of numbers, so the collection itself is cheap.
    /// </summary>
    private static void ReleaseGarbageBeforeLargeRead(IDataView view, DataViewSchema.Column col)
    {
        const long largeEntries = 1L << 25;
        long rows = view.GetRowCount() ?? 0;
        if (rows * ((VectorDataViewType)col.Type).Size >= largeEntries)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }

    /// <summary>True when the column's first row arrives as a sparse <see cref="VBuffer{T}"/>: then the column is read as CSR.</summary>
    private static bool FirstRowIsSparse(IDataView view, DataViewSchema.Column col)
    {
        using var cursor = view.GetRowCursor(new[] { col });
        if (!cursor.MoveNext()) return false;
        if (((VectorDataViewType)col.Type).ItemType == NumberDataViewType.Single)
        {
            var buf = default(VBuffer<float>); cursor.GetGetter<VBuffer<float>>(col)(ref buf); return !buf.IsDense;
        }
        var dbuf = default(VBuffer<double>); cursor.GetGetter<VBuffer<double>>(col)(ref dbuf); return !dbuf.IsDense;
    }

    /// <summary>Dense read with a span copy per row (the generic reader enumerates items one by one).</summary>
    private static Numerics.DenseMatrix ReadDense(IDataView view, DataViewSchema.Column col)
    {
        int width = ((VectorDataViewType)col.Type).Size;
        int rows = checked((int)DataViewReader.CountRows(view));
        var m = new Numerics.DenseMatrix(rows, width);
        using var cursor = view.GetRowCursor(new[] { col });
        int i = 0;
        if (((VectorDataViewType)col.Type).ItemType == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            var buf = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getter(ref buf);
                var row = m.Row(i++);
                if (buf.IsDense) { var v = buf.GetValues(); for (int j = 0; j < v.Length; j++) row[j] = v[j]; }
                else { var v = buf.GetValues(); var idx = buf.GetIndices(); for (int k = 0; k < v.Length; k++) row[idx[k]] = v[k]; }
            }
        }
        else
        {
            var getter = cursor.GetGetter<VBuffer<double>>(col);
            var buf = default(VBuffer<double>);
            while (cursor.MoveNext())
            {
                getter(ref buf);
                var row = m.Row(i++);
                if (buf.IsDense) buf.GetValues().CopyTo(row);
                else { var v = buf.GetValues(); var idx = buf.GetIndices(); for (int k = 0; k < v.Length; k++) row[idx[k]] = v[k]; }
            }
        }
        return m;
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
