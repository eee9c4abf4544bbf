namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// A row-major dense matrix of doubles (one row per spot). Kept deliberately small: algorithms work on
/// <see cref="Data"/> and <see cref="Row"/> spans directly.
/// </summary>
public sealed class DenseMatrix
{
    public int Rows { get; }
    public int Cols { get; }
    /// <summary>Row-major storage, length Rows·Cols.</summary>
    public double[] Data { get; }

    public DenseMatrix(int rows, int cols)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "must be non-negative");
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "must be non-negative");
        long n = (long)rows * cols;
        if (n > Array.MaxLength)
            throw new ArgumentException($"a dense {rows}×{cols} matrix has {n} entries, more than one .NET array can hold; use a sparse representation.");
        Rows = rows;
        Cols = cols;
        Data = new double[n];
    }

    public DenseMatrix(int rows, int cols, double[] data)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        if ((long)rows * cols != data.LongLength)
            throw new ArgumentException($"data has {data.LongLength} entries but a {rows}×{cols} matrix needs {(long)rows * cols}.", nameof(data));
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public double this[int row, int col]
    {
        get => Data[(long)row * Cols + col];
        set => Data[(long)row * Cols + col] = value;
    }

    public Span<double> Row(int row) => Data.AsSpan(row * Cols, Cols);
    public ReadOnlySpan<double> RowReadOnly(int row) => new(Data, row * Cols, Cols);

    public DenseMatrix Clone() => new(Rows, Cols, (double[])Data.Clone());

    /// <summary>Builds a matrix from a jagged array (rows of equal length); handy for fixtures and tests.</summary>
    public static DenseMatrix FromRows(IReadOnlyList<double[]> rows)
    {
        int r = rows.Count, c = r == 0 ? 0 : rows[0].Length;
        var m = new DenseMatrix(r, c);
        for (int i = 0; i < r; i++)
        {
            if (rows[i].Length != c)
                throw new ArgumentException($"row {i} has {rows[i].Length} values, row 0 has {c}.", nameof(rows));
            rows[i].CopyTo(m.Row(i));
        }
        return m;
    }

    public double[][] ToRows()
    {
        var result = new double[Rows][];
        for (int i = 0; i < Rows; i++) result[i] = RowReadOnly(i).ToArray();
        return result;
    }
}
