using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.DataView;

/// <summary>Reads a numeric vector column into a <see cref="CsrMatrix"/> in O(nnz) memory (two cursor passes).</summary>
public static class SparseVectorReader
{
    /// <summary>True when the column's first row arrives as a sparse <see cref="VBuffer{T}"/> (a hint for choosing CSR over dense).</summary>
    public static bool FirstRowIsSparse(IDataView view, string name)
    {
        var col = DataViewReader.GetColumn(view, name);
        using var cursor = view.GetRowCursor(new[] { col });
        if (!cursor.MoveNext()) return false;
        if (col.Type is VectorDataViewType { ItemType: var t } && t == NumberDataViewType.Single)
        {
            var buf = default(VBuffer<float>); cursor.GetGetter<VBuffer<float>>(col)(ref buf); return !buf.IsDense;
        }
        if (col.Type is VectorDataViewType { ItemType: var d } && d == NumberDataViewType.Double)
        {
            var buf = default(VBuffer<double>); cursor.GetGetter<VBuffer<double>>(col)(ref buf); return !buf.IsDense;
        }
        return false;
    }

    public static CsrMatrix ReadCsr(IDataView view, string name)
    {
        var col = DataViewReader.GetColumn(view, name);
        if (col.Type is not VectorDataViewType vt || !vt.IsKnownSize)
            throw new ArgumentException($"column '{name}' must be a fixed-size numeric vector, but it is {col.Type}.");
        if (vt.ItemType == NumberDataViewType.Single) return Read<float>(view, col, vt.Size, v => v);
        if (vt.ItemType == NumberDataViewType.Double) return Read<double>(view, col, vt.Size, v => v);
        throw new ArgumentException($"column '{name}' holds {vt.ItemType} items; Single or Double was expected.");
    }

    private static CsrMatrix Read<T>(IDataView view, DataViewSchema.Column col, int width, Func<T, double> toDouble) where T : struct
    {
        int rows = checked((int)DataViewReader.CountRows(view));
        var rowPtr = new long[rows + 1];
        var buf = default(VBuffer<T>);
        using (var cursor = view.GetRowCursor(new[] { col }))
        {
            var getter = cursor.GetGetter<VBuffer<T>>(col);
            int i = 0;
            while (cursor.MoveNext())
            {
                getter(ref buf);
                long count = 0;
                foreach (var v in buf.GetValues()) if (toDouble(v) != 0) count++;
                rowPtr[i + 1] = rowPtr[i] + count;
                i++;
            }
        }
        var indices = new int[rowPtr[rows]];
        var values = new double[rowPtr[rows]];
        using (var cursor = view.GetRowCursor(new[] { col }))
        {
            var getter = cursor.GetGetter<VBuffer<T>>(col);
            int i = 0;
            while (cursor.MoveNext())
            {
                getter(ref buf);
                long o = rowPtr[i];
                var vals = buf.GetValues();
                if (buf.IsDense)
                {
                    for (int j = 0; j < vals.Length; j++)
                    {
                        double v = toDouble(vals[j]);
                        if (v != 0) { indices[o] = j; values[o] = v; o++; }
                    }
                }
                else
                {
                    var idx = buf.GetIndices();
                    for (int k = 0; k < vals.Length; k++)
                    {
                        double v = toDouble(vals[k]);
                        if (v != 0) { indices[o] = idx[k]; values[o] = v; o++; }
                    }
                }
                i++;
            }
        }
        return new CsrMatrix(rows, width, rowPtr, indices, values, validate: false);
    }
}
