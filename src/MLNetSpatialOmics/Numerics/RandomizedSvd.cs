namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// Randomized truncated SVD (Halko, Martinsson &amp; Tropp 2011, algorithm 4.4 with re-orthonormalised power
/// iterations), seeded: the same seed gives the same result on the same machine. Works on any
/// <see cref="LinearOperator"/>, so sparse and implicitly centred inputs stay sparse.
/// </summary>
public static class RandomizedSvd
{
    /// <param name="oversamples">extra random directions beyond k (scikit-learn uses 10).</param>
    /// <param name="powerIterations">subspace iterations; each costs two passes over A (scikit-learn's "auto" uses 7 when k &lt; 0.1·min(m, n), else 4).</param>
    public static SvdResult Compute(LinearOperator a, int k, int seed, int oversamples = 10, int powerIterations = 7)
    {
        ArgumentNullException.ThrowIfNull(a);
        int m = a.Rows, n = a.Cols;
        if (k < 1 || k > Math.Min(m, n))
            throw new ArgumentOutOfRangeException(nameof(k), k, $"a {m}×{n} matrix has at most {Math.Min(m, n)} singular values.");
        int l = Math.Min(Math.Min(m, n), k + Math.Max(0, oversamples));
        var rng = new Random(seed);
        var omega = new DenseMatrix(n, l);
        for (long i = 0; i < omega.Data.LongLength; i++) omega.Data[i] = Gaussian(rng);
        var q = a.Multiply(omega);
        for (int it = 0; it < powerIterations; it++)
        {
            Orthonormalize(q, rng);
            var z = a.TransposeMultiply(q);
            Orthonormalize(z, rng);
            q = a.Multiply(z);
        }
        Orthonormalize(q, rng);
        var bt = a.TransposeMultiply(q);                    // n×l = (Qᵀ·A)ᵀ
        var small = ThinSvd.Compute(MatrixOps.Transpose(bt), l);   // B = Ub S Vt, B is l×n
        var u = MatrixOps.Multiply(q, small.U);              // m×l
        return Truncate(new SvdResult(u, small.S, small.Vt), k);
    }

    private static SvdResult Truncate(SvdResult r, int k)
    {
        if (r.S.Length == k) return r;
        var u = new DenseMatrix(r.U.Rows, k);
        for (int i = 0; i < u.Rows; i++) r.U.RowReadOnly(i)[..k].CopyTo(u.Row(i));
        var vt = new DenseMatrix(k, r.Vt.Cols, r.Vt.Data.AsSpan(0, k * r.Vt.Cols).ToArray());
        return new SvdResult(u, r.S[..k], vt);
    }

    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>In-place orthonormalisation of the columns (twice-iterated modified Gram–Schmidt on the transpose).
    /// A column that collapses (rank deficiency) is replaced by a fresh random direction.</summary>
    internal static void Orthonormalize(DenseMatrix y, Random rng)
    {
        var t = MatrixOps.Transpose(y);   // l×m, each row a column of y
        int l = t.Rows, m = t.Cols;
        for (int c = 0; c < l; c++)
        {
            var col = t.Row(c);
            double original = Math.Sqrt(VectorOps.Dot(col, col));
            for (int attempt = 0; attempt < 3; attempt++)
            {
                for (int pass = 0; pass < 2; pass++)
                    for (int p = 0; p < c; p++)
                    {
                        var prev = t.RowReadOnly(p);
                        VectorOps.Axpy(-VectorOps.Dot(prev, col), prev, col);
                    }
                double nrm = Math.Sqrt(VectorOps.Dot(col, col));
                if (nrm > 1e-10 * Math.Max(original, 1e-300) && nrm > 0)
                {
                    VectorOps.Scale(1.0 / nrm, col);
                    break;
                }
                for (int i = 0; i < m; i++) col[i] = Gaussian(rng);
                original = Math.Sqrt(VectorOps.Dot(col, col));
            }
        }
        var back = MatrixOps.Transpose(t);
        back.Data.CopyTo(y.Data, 0);
    }
}
