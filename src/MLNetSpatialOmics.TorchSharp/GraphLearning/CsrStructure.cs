namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Host-side sparsity pattern of a graph, or of a block of its rows (CSR: edges sorted by row), and of its transpose,
/// for the CPU propagation kernels. The transpose lists, for every column j, the edges (i, j) by their position in the
/// original edge order, so Aᵀ·g reuses A's value vector without copying it.
/// </summary>
internal sealed class CsrStructure
{
    public int RowCount { get; }
    public int ColumnCount { get; }
    public long[] RowPtr { get; }
    public int[] Cols { get; }

    private (long[] Ptr, int[] Rows, long[] Edge)? _transpose;

    /// <summary>A square pattern (a graph over <paramref name="nodeCount"/> nodes).</summary>
    public CsrStructure(int nodeCount, long[] rowPtr, int[] cols) : this(nodeCount, nodeCount, rowPtr, cols) { }

    public CsrStructure(int rowCount, int columnCount, long[] rowPtr, int[] cols)
    {
        if (rowPtr.Length != rowCount + 1)
            throw new ArgumentException($"row pointer has {rowPtr.Length} entries; {rowCount} rows need {rowCount + 1}.", nameof(rowPtr));
        if (rowPtr[rowCount] != cols.LongLength)
            throw new ArgumentException($"row pointer ends at {rowPtr[rowCount]} but there are {cols.LongLength} edges.", nameof(cols));
        RowCount = rowCount;
        ColumnCount = columnCount;
        RowPtr = rowPtr;
        Cols = cols;
    }

    public long EdgeCount => Cols.LongLength;

    /// <summary>CSR of Aᵀ: per column j, the source rows i and the positions e of the edges (i, j) in A's order.</summary>
    public (long[] Ptr, int[] Rows, long[] Edge) Transpose()
    {
        if (_transpose is { } t) return t;
        var count = new long[ColumnCount + 1];
        foreach (var c in Cols) count[c + 1]++;
        for (int j = 0; j < ColumnCount; j++) count[j + 1] += count[j];
        var ptr = (long[])count.Clone();
        var rows = new int[Cols.LongLength];
        var edge = new long[Cols.LongLength];
        var next = (long[])count.Clone();
        // Rows are visited in increasing order, so each column's sources come out sorted: the sums are deterministic.
        for (int i = 0; i < RowCount; i++)
            for (long p = RowPtr[i]; p < RowPtr[i + 1]; p++)
            {
                long q = next[Cols[p]]++;
                rows[q] = i;
                edge[q] = p;
            }
        _transpose = (ptr, rows, edge);
        return _transpose.Value;
    }
}
