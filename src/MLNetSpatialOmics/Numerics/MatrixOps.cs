namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// Dense and sparse matrix products used by the SVD/PCA code. Products are split over rows with
/// <see cref="Parallel"/>; the summation order within one output entry is fixed, so results do not depend on the
/// number of threads.
/// </summary>
public static class MatrixOps
{
    public static DenseMatrix Transpose(DenseMatrix a)
    {
        var t = new DenseMatrix(a.Cols, a.Rows);
        const int block = 64;
        for (int i0 = 0; i0 < a.Rows; i0 += block)
            for (int j0 = 0; j0 < a.Cols; j0 += block)
            {
                int i1 = Math.Min(a.Rows, i0 + block), j1 = Math.Min(a.Cols, j0 + block);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++)
                        t.Data[(long)j * a.Rows + i] = a.Data[(long)i * a.Cols + j];
            }
        return t;
    }

    /// <summary>Aᵀ·A (Cols × Cols), symmetric, computed from dot products of A's columns.</summary>
    public static DenseMatrix Gram(DenseMatrix a) => RowGram(Transpose(a));

    /// <summary>A·Aᵀ (Rows × Rows): dot products of A's rows.</summary>
    public static DenseMatrix RowGram(DenseMatrix a)
    {
        int n = a.Rows;
        var g = new DenseMatrix(n, n);
        Parallel.For(0, n, Parallelism.Options, i =>
        {
            var ri = a.RowReadOnly(i);
            for (int j = i; j < n; j++)
            {
                double v = VectorOps.Dot(ri, a.RowReadOnly(j));
                g.Data[(long)i * n + j] = v;
                g.Data[(long)j * n + i] = v;
            }
        });
        return g;
    }

    /// <summary>A·B.</summary>
    public static DenseMatrix Multiply(DenseMatrix a, DenseMatrix b)
    {
        if (a.Cols != b.Rows) throw new ArgumentException($"cannot multiply {a.Rows}×{a.Cols} by {b.Rows}×{b.Cols}.");
        var c = new DenseMatrix(a.Rows, b.Cols);
        Parallel.For(0, a.Rows, Parallelism.Options, i => VectorOps.AccumulateRowTimesMatrix(a.RowReadOnly(i), b.Data, b.Cols, c.Row(i)));
        return c;
    }

    /// <summary>A·Bᵀ (B given row-major, so each output entry is a row-row dot product).</summary>
    public static DenseMatrix MultiplyTransposed(DenseMatrix a, DenseMatrix b)
    {
        if (a.Cols != b.Cols) throw new ArgumentException($"cannot multiply {a.Rows}×{a.Cols} by ({b.Rows}×{b.Cols})ᵀ.");
        var c = new DenseMatrix(a.Rows, b.Rows);
        Parallel.For(0, a.Rows, Parallelism.Options, i =>
        {
            var ai = a.RowReadOnly(i);
            var ci = c.Row(i);
            for (int j = 0; j < b.Rows; j++) ci[j] = VectorOps.Dot(ai, b.RowReadOnly(j));
        });
        return c;
    }

    /// <summary>Aᵀ·B for A (m×n) and B (m×l): accumulated in fixed row blocks, then summed in block order.</summary>
    public static DenseMatrix TransposeMultiply(DenseMatrix a, DenseMatrix b)
    {
        if (a.Rows != b.Rows) throw new ArgumentException($"cannot multiply ({a.Rows}×{a.Cols})ᵀ by {b.Rows}×{b.Cols}.");
        return BlockedTransposeProduct(a.Rows, a.Cols, b, (i, acc) =>
            VectorOps.AccumulateOuter(a.RowReadOnly(i), b.RowReadOnly(i), acc.Data));
    }

    /// <summary>A·B for sparse A.</summary>
    public static DenseMatrix Multiply(CsrMatrix a, DenseMatrix b)
    {
        if (a.Cols != b.Rows) throw new ArgumentException($"cannot multiply {a.Rows}×{a.Cols} by {b.Rows}×{b.Cols}.");
        var c = new DenseMatrix(a.Rows, b.Cols);
        Parallel.For(0, a.Rows, Parallelism.Options, i => VectorOps.AccumulateSparseRowTimesMatrix(a.RowIndices(i), a.RowValues(i), b.Data, b.Cols, c.Row(i)));
        return c;
    }

    /// <summary>Aᵀ·B for sparse A (m×n) and dense B (m×l).</summary>
    public static DenseMatrix TransposeMultiply(CsrMatrix a, DenseMatrix b)
    {
        if (a.Rows != b.Rows) throw new ArgumentException($"cannot multiply ({a.Rows}×{a.Cols})ᵀ by {b.Rows}×{b.Cols}.");
        return BlockedTransposeProduct(a.Rows, a.Cols, b, (i, acc) =>
            VectorOps.AccumulateSparseOuter(a.RowIndices(i), a.RowValues(i), b.RowReadOnly(i), acc.Data));
    }

    private static DenseMatrix BlockedTransposeProduct(int rows, int n, DenseMatrix b, Action<int, DenseMatrix> addRow)
    {
        int blocks = Math.Max(1, Math.Min(Environment.ProcessorCount * 2, rows / 256));
        // Memory guard: one n×l accumulator per block.
        long perBlock = (long)n * b.Cols;
        while (blocks > 1 && perBlock * blocks > 64L << 20) blocks--;
        var partial = new DenseMatrix[blocks];
        Parallel.For(0, blocks, Parallelism.Options, blk =>
        {
            var acc = new DenseMatrix(n, b.Cols);
            int start = (int)((long)rows * blk / blocks), end = (int)((long)rows * (blk + 1) / blocks);
            for (int i = start; i < end; i++) addRow(i, acc);
            partial[blk] = acc;
        });
        var result = partial[0];
        for (int k = 1; k < blocks; k++)
            VectorOps.Axpy(1.0, partial[k].Data, result.Data);
        return result;
    }
}
