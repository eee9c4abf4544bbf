using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.DataView;

/// <summary>
/// A fixed-size float vector column stored as CSR with float values: each row's getter returns a sparse
/// <see cref="VBuffer{T}"/>, so a 50k × 18k count matrix with 5 % non-zeros costs O(nnz), not O(spots × genes).
/// Unlike <see cref="InMemoryColumn.SparseVector"/>, which keeps the double <see cref="CsrMatrix"/>, values are stored
/// rounded to float (R4, what the getter returns anyway) and index arrays are shared, halving the memory of the
/// transforms' intermediate columns on large sections.
/// </summary>
public sealed class SparseVectorColumn : InMemoryColumn
{
    private readonly long[] _rowPtr;
    private readonly int[] _indices;
    private readonly float[] _values;
    private readonly int _width;

    private SparseVectorColumn(string name, int width, long[] rowPtr, int[] indices, float[] values, string[]? slotNames)
        : base(name, new VectorDataViewType(NumberDataViewType.Single, width), rowPtr.Length - 1, slotNames)
    {
        if (slotNames is not null && slotNames.Length != width)
            throw new ArgumentException($"sparse vector column '{name}': {slotNames.Length} slot names for width {width}.");
        _rowPtr = rowPtr; _indices = indices; _values = values; _width = width;
    }

    /// <summary>A sparse float vector column holding the matrix's stored entries (explicit zeros are dropped).</summary>
    public static SparseVectorColumn FromCsr(string name, CsrMatrix matrix, string[]? slotNames = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Cols <= 0) throw new ArgumentException($"sparse vector column '{name}' needs a positive width.");
        long nnz = 0;
        for (long p = 0; p < matrix.NonZeroCount; p++) if ((float)matrix.Values[p] != 0) nnz++;
        if (nnz == matrix.NonZeroCount)
        {
            // Nothing to drop: share the index arrays (CSR arrays are not mutated after construction here).
            var floats = new float[nnz];
            for (long p = 0; p < nnz; p++) floats[p] = (float)matrix.Values[p];
            return new SparseVectorColumn(name, matrix.Cols, matrix.RowPtr, matrix.ColIndices, floats, slotNames);
        }
        var rowPtr = new long[matrix.Rows + 1];
        var idx = new int[nnz];
        var val = new float[nnz];
        long o = 0;
        for (int i = 0; i < matrix.Rows; i++)
        {
            for (long p = matrix.RowPtr[i]; p < matrix.RowPtr[i + 1]; p++)
            {
                float v = (float)matrix.Values[p];
                if (v == 0) continue;
                idx[o] = matrix.ColIndices[p]; val[o] = v; o++;
            }
            rowPtr[i + 1] = o;
        }
        return new SparseVectorColumn(name, matrix.Cols, rowPtr, idx, val, slotNames);
    }

    /// <summary>Wraps CSR arrays of floats directly (no copy): rowPtr has rows + 1 entries, indices sorted within each row.</summary>
    public static SparseVectorColumn FromArrays(string name, int width, long[] rowPtr, int[] indices, float[] values, string[]? slotNames = null)
    {
        ArgumentNullException.ThrowIfNull(rowPtr);
        if (width <= 0) throw new ArgumentException($"sparse vector column '{name}' needs a positive width.");
        if (rowPtr.Length == 0 || rowPtr[0] != 0 || rowPtr[^1] != indices.LongLength || indices.LongLength != values.LongLength)
            throw new ArgumentException($"sparse vector column '{name}': row pointers, indices and values are inconsistent.");
        for (int i = 0; i + 1 < rowPtr.Length; i++)
        {
            if (rowPtr[i + 1] < rowPtr[i]) throw new ArgumentException($"sparse vector column '{name}': row pointer decreases at row {i}.");
            for (long p = rowPtr[i]; p < rowPtr[i + 1]; p++)
                if ((uint)indices[p] >= (uint)width || (p > rowPtr[i] && indices[p] <= indices[p - 1]))
                    throw new ArgumentException($"sparse vector column '{name}': row {i} has an out-of-range, unsorted or repeated index.");
        }
        return new SparseVectorColumn(name, width, rowPtr, indices, values, slotNames);
    }

    internal override Delegate MakeGetter(Func<long> position)
    {
        ValueGetter<VBuffer<float>> g = (ref VBuffer<float> dst) =>
        {
            long row = position();
            int start = (int)_rowPtr[row], count = (int)(_rowPtr[row + 1] - _rowPtr[row]);
            var editor = VBufferEditor.Create(ref dst, _width, count);
            _values.AsSpan(start, count).CopyTo(editor.Values);
            if (count < _width) _indices.AsSpan(start, count).CopyTo(editor.Indices);
            else for (int k = 0; k < count; k++) editor.Values[_indices[start + k]] = _values[start + k];
            dst = editor.Commit();
        };
        return g;
    }
}
