namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// Compressed sparse row matrix of doubles: count matrices, graphs (one row of neighbours per spot) and
/// anything else that must stay O(nnz). Column indices within a row are sorted ascending and unique.
/// </summary>
public sealed class CsrMatrix
{
    public int Rows { get; }
    public int Cols { get; }
    /// <summary>Row start offsets, length Rows + 1; RowPtr[Rows] = number of stored entries.</summary>
    public long[] RowPtr { get; }
    public int[] ColIndices { get; }
    public double[] Values { get; }

    public long NonZeroCount => RowPtr[Rows];

    public CsrMatrix(int rows, int cols, long[] rowPtr, int[] colIndices, double[] values, bool validate = true)
    {
        Rows = rows;
        Cols = cols;
        RowPtr = rowPtr ?? throw new ArgumentNullException(nameof(rowPtr));
        ColIndices = colIndices ?? throw new ArgumentNullException(nameof(colIndices));
        Values = values ?? throw new ArgumentNullException(nameof(values));
        if (validate) Validate();
    }

    public void Validate()
    {
        if (Rows < 0 || Cols < 0) throw new ArgumentException($"shape {Rows}×{Cols} is negative.");
        if (RowPtr.Length != Rows + 1)
            throw new ArgumentException($"RowPtr has {RowPtr.Length} entries, expected Rows + 1 = {Rows + 1}.");
        if (RowPtr[0] != 0) throw new ArgumentException("RowPtr[0] must be 0.");
        long nnz = RowPtr[Rows];
        if (ColIndices.LongLength != nnz || Values.LongLength != nnz)
            throw new ArgumentException($"RowPtr declares {nnz} entries but there are {ColIndices.LongLength} column indices and {Values.LongLength} values.");
        for (int i = 0; i < Rows; i++)
        {
            long s = RowPtr[i], e = RowPtr[i + 1];
            if (e < s) throw new ArgumentException($"RowPtr decreases at row {i}.");
            for (long p = s; p < e; p++)
            {
                int c = ColIndices[p];
                if ((uint)c >= (uint)Cols) throw new ArgumentException($"row {i} has column index {c} outside 0..{Cols - 1}.");
                if (p > s && c <= ColIndices[p - 1]) throw new ArgumentException($"row {i} has unsorted or repeated column indices.");
            }
        }
    }

    public int RowLength(int row) => (int)(RowPtr[row + 1] - RowPtr[row]);
    public ReadOnlySpan<int> RowIndices(int row) => ColIndices.AsSpan((int)RowPtr[row], RowLength(row));
    public ReadOnlySpan<double> RowValues(int row) => Values.AsSpan((int)RowPtr[row], RowLength(row));
    public Span<double> RowValuesMutable(int row) => Values.AsSpan((int)RowPtr[row], RowLength(row));

    public double Get(int row, int col)
    {
        var idx = RowIndices(row);
        int k = idx.BinarySearch(col);
        return k >= 0 ? RowValues(row)[k] : 0.0;
    }

    public DenseMatrix ToDense()
    {
        var d = new DenseMatrix(Rows, Cols);
        for (int i = 0; i < Rows; i++)
        {
            var idx = RowIndices(i);
            var val = RowValues(i);
            var row = d.Row(i);
            for (int p = 0; p < idx.Length; p++) row[idx[p]] = val[p];
        }
        return d;
    }

    public static CsrMatrix FromDense(DenseMatrix m)
    {
        var rowPtr = new long[m.Rows + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (int i = 0; i < m.Rows; i++)
        {
            var row = m.RowReadOnly(i);
            for (int j = 0; j < row.Length; j++)
                if (row[j] != 0) { cols.Add(j); vals.Add(row[j]); }
            rowPtr[i + 1] = cols.Count;
        }
        return new CsrMatrix(m.Rows, m.Cols, rowPtr, cols.ToArray(), vals.ToArray(), validate: false);
    }
}
