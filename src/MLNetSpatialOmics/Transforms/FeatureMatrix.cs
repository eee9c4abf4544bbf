using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// A spots × features matrix as a transform received it: sparse (CSR) when the column's vectors were sparse,
/// dense otherwise. Kernels that preserve zeros (NormalizeTotal, Log1p, CLR, TF-IDF) keep sparse input sparse.
/// </summary>
public sealed class FeatureMatrix
{
    public CsrMatrix? Sparse { get; }
    public DenseMatrix? Dense { get; }
    public int Rows => Sparse?.Rows ?? Dense!.Rows;
    public int Cols => Sparse?.Cols ?? Dense!.Cols;
    public bool IsSparse => Sparse is not null;

    public FeatureMatrix(CsrMatrix sparse) => Sparse = sparse ?? throw new ArgumentNullException(nameof(sparse));
    public FeatureMatrix(DenseMatrix dense) => Dense = dense ?? throw new ArgumentNullException(nameof(dense));

    public DenseMatrix ToDense() => Dense ?? Sparse!.ToDense();
    public CsrMatrix ToCsr() => Sparse ?? CsrMatrix.FromDense(Dense!);

    /// <summary>Stored values (the non-zeros of a sparse matrix, every entry of a dense one).</summary>
    public double[] StoredValues => Sparse?.Values ?? Dense!.Data;

    /// <summary>Column sums of the matrix.</summary>
    public double[] ColumnSums()
    {
        var sums = new double[Cols];
        if (Sparse is { } s)
            for (long p = 0; p < s.NonZeroCount; p++) sums[s.ColIndices[p]] += s.Values[p];
        else
            for (int i = 0; i < Rows; i++) VectorOps.Axpy(1.0, Dense!.RowReadOnly(i), sums);
        return sums;
    }

    /// <summary>Number of spots in which each feature is non-zero.</summary>
    public int[] NonZeroSpotsPerFeature()
    {
        var counts = new int[Cols];
        if (Sparse is { } s)
        {
            for (long p = 0; p < s.NonZeroCount; p++) if (s.Values[p] != 0) counts[s.ColIndices[p]]++;
        }
        else
        {
            for (int i = 0; i < Rows; i++)
            {
                var row = Dense!.RowReadOnly(i);
                for (int j = 0; j < row.Length; j++) if (row[j] != 0) counts[j]++;
            }
        }
        return counts;
    }

    /// <summary>Row sums.</summary>
    public double[] RowSums()
    {
        var sums = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            double s = 0;
            if (Sparse is { } sp) foreach (var v in sp.RowValues(i)) s += v;
            else foreach (var v in Dense!.RowReadOnly(i)) s += v;
            sums[i] = s;
        }
        return sums;
    }

    /// <summary>Applies f(row, value) to every stored value, returning a matrix of the same sparsity.</summary>
    public FeatureMatrix MapStored(Func<int, double, double> f)
    {
        if (Sparse is { } s)
        {
            var values = new double[s.Values.Length];
            Parallel.For(0, s.Rows, Parallelism.Options, i =>
            {
                long start = s.RowPtr[i], end = s.RowPtr[i + 1];
                for (long p = start; p < end; p++) values[p] = f(i, s.Values[p]);
            });
            return new FeatureMatrix(new CsrMatrix(s.Rows, s.Cols, s.RowPtr, s.ColIndices, values, validate: false));
        }
        var d = Dense!;
        var result = new DenseMatrix(d.Rows, d.Cols);
        Parallel.For(0, d.Rows, Parallelism.Options, i =>
        {
            var src = d.RowReadOnly(i);
            var dst = result.Row(i);
            for (int j = 0; j < src.Length; j++) dst[j] = f(i, src[j]);
        });
        return new FeatureMatrix(result);
    }

    /// <summary>Keeps the given columns, in the given order.</summary>
    public FeatureMatrix SelectColumns(int[] columns)
    {
        if (Sparse is { } s)
        {
            var newIndex = new int[s.Cols];
            Array.Fill(newIndex, -1);
            for (int k = 0; k < columns.Length; k++) newIndex[columns[k]] = k;
            return new FeatureMatrix(RemapColumns(s, newIndex, columns.Length));
        }
        var d = Dense!;
        var r = new DenseMatrix(d.Rows, columns.Length);
        Parallel.For(0, d.Rows, Parallelism.Options, i =>
        {
            var src = d.RowReadOnly(i);
            var dst = r.Row(i);
            for (int k = 0; k < columns.Length; k++) dst[k] = src[columns[k]];
        });
        return new FeatureMatrix(r);
    }

    /// <summary>Moves column j to newIndex[j] (−1 drops it) in a matrix of newCols columns; rows are re-sorted.</summary>
    internal static CsrMatrix RemapColumns(CsrMatrix s, int[] newIndex, int newCols)
    {
        var rowPtr = new long[s.Rows + 1];
        for (int i = 0; i < s.Rows; i++)
        {
            int kept = 0;
            foreach (var c in s.RowIndices(i)) if (newIndex[c] >= 0) kept++;
            rowPtr[i + 1] = rowPtr[i] + kept;
        }
        var cols = new int[rowPtr[s.Rows]];
        var vals = new double[rowPtr[s.Rows]];
        Parallel.For(0, s.Rows, Parallelism.Options, i =>
        {
            var idx = s.RowIndices(i);
            var val = s.RowValues(i);
            int o = (int)rowPtr[i], start = o;
            for (int p = 0; p < idx.Length; p++)
            {
                int c = newIndex[idx[p]];
                if (c < 0) continue;
                cols[o] = c; vals[o] = val[p]; o++;
            }
            Array.Sort(cols, vals, start, o - start);
        });
        return new CsrMatrix(s.Rows, newCols, rowPtr, cols, vals, validate: false);
    }
}
