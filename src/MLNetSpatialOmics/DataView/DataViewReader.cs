using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.DataView;

/// <summary>Reads whole columns of an <see cref="IDataView"/> into arrays, with errors that name the column.</summary>
public static class DataViewReader
{
    public static long CountRows(IDataView view)
    {
        var n = view.GetRowCount();
        if (n.HasValue) return n.Value;
        long count = 0;
        using var cursor = view.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext()) count++;
        return count;
    }

    public static DataViewSchema.Column GetColumn(IDataView view, string name, string? purpose = null)
    {
        var col = view.Schema.GetColumnOrNull(name);
        if (col is null)
            throw new ArgumentException($"the input has no column '{name}'{(purpose is null ? "" : $" ({purpose})")}; " +
                $"its columns are: {string.Join(", ", view.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        return col.Value;
    }

    /// <summary>Reads a fixed-size numeric vector column (Single or Double items) as a spots × width matrix.</summary>
    public static DenseMatrix ReadVectorColumn(IDataView view, string name)
    {
        var col = GetColumn(view, name);
        if (col.Type is not VectorDataViewType vt || !vt.IsKnownSize)
            throw new ArgumentException($"column '{name}' must be a fixed-size numeric vector, but it is {col.Type}.");
        int width = vt.Size;
        int rows = checked((int)CountRows(view));
        var m = new DenseMatrix(rows, width);
        using var cursor = view.GetRowCursor(new[] { col });
        if (vt.ItemType == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            var buf = default(VBuffer<float>);
            int i = 0;
            while (cursor.MoveNext())
            {
                getter(ref buf);
                var row = m.Row(i++);
                foreach (var kv in buf.Items()) row[kv.Key] = kv.Value;
            }
        }
        else if (vt.ItemType == NumberDataViewType.Double)
        {
            var getter = cursor.GetGetter<VBuffer<double>>(col);
            var buf = default(VBuffer<double>);
            int i = 0;
            while (cursor.MoveNext())
            {
                getter(ref buf);
                var row = m.Row(i++);
                foreach (var kv in buf.Items()) row[kv.Key] = kv.Value;
            }
        }
        else throw new ArgumentException($"column '{name}' holds {vt.ItemType} items; Single or Double was expected.");
        return m;
    }

    /// <summary>
    /// Reads a fixed-size Single or Double vector column as a CSR matrix (spots × width) without ever holding a dense
    /// row-major copy: two passes over the view, the first counting non-zeros per row, the second filling.
    /// Explicit zeros in sparse buffers and zeros in dense buffers are not stored.
    /// </summary>
    public static CsrMatrix ReadSparseVectorColumn(IDataView view, string name)
    {
        var col = GetColumn(view, name);
        if (col.Type is not VectorDataViewType vt || !vt.IsKnownSize)
            throw new ArgumentException($"column '{name}' must be a fixed-size numeric vector, but it is {col.Type}.");
        if (vt.ItemType == NumberDataViewType.Single) return ReadSparse<float>(view, col, vt.Size, v => v);
        if (vt.ItemType == NumberDataViewType.Double) return ReadSparse<double>(view, col, vt.Size, v => v);
        throw new ArgumentException($"column '{name}' holds {vt.ItemType} items; Single or Double was expected.");
    }

    private static CsrMatrix ReadSparse<T>(IDataView view, DataViewSchema.Column col, int width, Func<T, double> toDouble)
        where T : struct, IEquatable<T>
    {
        var counts = new List<long>();
        var buf = default(VBuffer<T>);
        using (var cursor = view.GetRowCursor(new[] { col }))
        {
            var getter = cursor.GetGetter<VBuffer<T>>(col);
            while (cursor.MoveNext())
            {
                getter(ref buf);
                if (buf.Length != width)
                    throw new ArgumentException($"column '{col.Name}' row {counts.Count} has {buf.Length} slots; its type says {width}.");
                long n = 0;
                foreach (var v in buf.GetValues()) if (!v.Equals(default)) n++;
                counts.Add(n);
            }
        }
        int rows = counts.Count;
        var rowPtr = new long[rows + 1];
        for (int i = 0; i < rows; i++) rowPtr[i + 1] = rowPtr[i] + counts[i];
        if (rowPtr[rows] > Array.MaxLength)
            throw new ArgumentException($"column '{col.Name}' has {rowPtr[rows]} non-zeros, more than one array can hold.");
        var indices = new int[rowPtr[rows]];
        var values = new double[rowPtr[rows]];
        using (var cursor = view.GetRowCursor(new[] { col }))
        {
            var getter = cursor.GetGetter<VBuffer<T>>(col);
            int row = 0;
            while (cursor.MoveNext())
            {
                if (row >= rows) throw new InvalidOperationException($"column '{col.Name}': the view returned more rows on the second pass.");
                getter(ref buf);
                long p = rowPtr[row];
                var vals = buf.GetValues();
                var idx = buf.IsDense ? default : buf.GetIndices();
                for (int k = 0; k < vals.Length; k++)
                {
                    if (vals[k].Equals(default)) continue;
                    if (p >= rowPtr[row + 1]) throw new InvalidOperationException($"column '{col.Name}' row {row} changed between passes.");
                    indices[p] = buf.IsDense ? k : idx[k];
                    values[p++] = toDouble(vals[k]);
                }
                row++;
            }
        }
        // VBuffer indices are sorted and unique by contract, so the CSR invariants hold; validate cheaply anyway.
        return new CsrMatrix(rows, width, rowPtr, indices, values);
    }

    /// <summary>Reads an Int32 vector column (e.g. graph neighbour indices) as a row-major array.</summary>
    public static int[] ReadInt32VectorColumn(IDataView view, string name, out int width)
    {
        var col = GetColumn(view, name);
        if (col.Type is not VectorDataViewType vt || !vt.IsKnownSize || vt.ItemType != NumberDataViewType.Int32)
            throw new ArgumentException($"column '{name}' must be a fixed-size Int32 vector, but it is {col.Type}.");
        width = vt.Size;
        int rows = checked((int)CountRows(view));
        var result = new int[(long)rows * width];
        using var cursor = view.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<int>>(col);
        var buf = default(VBuffer<int>);
        int i = 0;
        while (cursor.MoveNext())
        {
            getter(ref buf);
            foreach (var kv in buf.Items()) result[(long)i * width + kv.Key] = kv.Value;
            i++;
        }
        return result;
    }

    /// <summary>Reads a numeric scalar column (Single, Double or Int32) as doubles.</summary>
    public static double[] ReadScalarColumn(IDataView view, string name)
    {
        var col = GetColumn(view, name);
        int rows = checked((int)CountRows(view));
        var result = new double[rows];
        using var cursor = view.GetRowCursor(new[] { col });
        int i = 0;
        if (col.Type == NumberDataViewType.Single)
        {
            var g = cursor.GetGetter<float>(col); float v = 0;
            while (cursor.MoveNext()) { g(ref v); result[i++] = v; }
        }
        else if (col.Type == NumberDataViewType.Double)
        {
            var g = cursor.GetGetter<double>(col); double v = 0;
            while (cursor.MoveNext()) { g(ref v); result[i++] = v; }
        }
        else if (col.Type == NumberDataViewType.Int32)
        {
            var g = cursor.GetGetter<int>(col); int v = 0;
            while (cursor.MoveNext()) { g(ref v); result[i++] = v; }
        }
        else throw new ArgumentException($"column '{name}' is {col.Type}; a numeric scalar (Single, Double, Int32) was expected.");
        return result;
    }

    /// <summary>Reads a text column; key columns are read as their key values when they have any, else as numbers.</summary>
    public static string[] ReadTextColumn(IDataView view, string name)
    {
        var col = GetColumn(view, name);
        int rows = checked((int)CountRows(view));
        var result = new string[rows];
        using var cursor = view.GetRowCursor(new[] { col });
        int i = 0;
        if (col.Type is TextDataViewType)
        {
            var g = cursor.GetGetter<ReadOnlyMemory<char>>(col);
            ReadOnlyMemory<char> v = default;
            while (cursor.MoveNext()) { g(ref v); result[i++] = v.ToString(); }
        }
        else if (col.Type is KeyDataViewType)
        {
            var names = ReadKeyNames(view, name);
            var g = cursor.GetGetter<uint>(col); uint v = 0;
            while (cursor.MoveNext())
            {
                g(ref v);
                result[i++] = v == 0 ? "" : names is not null ? names[v - 1] : (v - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else throw new ArgumentException($"column '{name}' is {col.Type}; a text or key column was expected.");
        return result;
    }

    /// <summary>The slot names of a vector column, or null when it has none.</summary>
    public static string[]? ReadSlotNames(IDataView view, string name) => ReadSlotNames(GetColumn(view, name));

    public static string[]? ReadSlotNames(DataViewSchema.Column col)
    {
        if (col.Annotations.Schema.GetColumnOrNull(AnnotationUtils.SlotNames) is null) return null;
        var buf = default(VBuffer<ReadOnlyMemory<char>>);
        col.GetSlotNames(ref buf);
        return buf.DenseValues().Select(s => s.ToString()).ToArray();
    }

    public static string[]? ReadKeyNames(IDataView view, string name)
    {
        var col = GetColumn(view, name);
        if (col.Annotations.Schema.GetColumnOrNull(AnnotationUtils.KeyValues) is null) return null;
        var buf = default(VBuffer<ReadOnlyMemory<char>>);
        col.GetKeyValues(ref buf);
        return buf.DenseValues().Select(s => s.ToString()).ToArray();
    }
}
