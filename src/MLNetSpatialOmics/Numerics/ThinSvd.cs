namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// Exact leading singular triplets of a dense matrix from the eigen-decomposition of its Gram matrix on the smaller
/// side (AᵀA or AAᵀ), with the other factor recovered as A·v/σ.
/// <para>
/// Accuracy: forming the Gram matrix squares the condition number, so a singular value σᵢ carries a relative error
/// of about ε·(σ₁/σᵢ)² and a singular vector about ε·σ₁²/(gap in σ²). For the leading components used by PCA and
/// LSI (σ₁/σᵢ below 10³) that is far inside 1e-10; the tests check this against LAPACK's gesdd values.
/// Components whose σ is below about 1e-6·σ₁ are not resolved accurately and should not be requested.
/// </para>
/// </summary>
public static class ThinSvd
{
    public static SvdResult Compute(DenseMatrix a, int k)
    {
        ArgumentNullException.ThrowIfNull(a);
        int m = a.Rows, n = a.Cols;
        if (k < 1 || k > Math.Min(m, n))
            throw new ArgumentOutOfRangeException(nameof(k), k, $"a {m}×{n} matrix has at most {Math.Min(m, n)} singular values.");
        if (n <= m)
        {
            var eig = SymmetricEigen.Largest(MatrixOps.Gram(a), k);
            var s = Sqrt(eig.Values);
            var vt = MatrixOps.Transpose(eig.Vectors);          // k×n
            var u = MatrixOps.MultiplyTransposed(a, vt);        // m×k = A·V
            DivideColumns(u, s);
            return new SvdResult(u, s, vt);
        }
        else
        {
            var eig = SymmetricEigen.Largest(MatrixOps.RowGram(a), k);
            var s = Sqrt(eig.Values);
            var u = eig.Vectors;                                 // m×k
            var vt = MatrixOps.TransposeMultiply(u, a);          // (Uᵀ·A) = k×n
            DivideRows(vt, s);
            return new SvdResult(u, s, vt);
        }
    }

    private static double[] Sqrt(double[] values) => values.Select(v => Math.Sqrt(Math.Max(v, 0))).ToArray();

    internal static void DivideColumns(DenseMatrix u, double[] s)
    {
        for (int i = 0; i < u.Rows; i++)
        {
            var row = u.Row(i);
            for (int c = 0; c < s.Length; c++) row[c] = s[c] > 0 ? row[c] / s[c] : 0;
        }
    }

    internal static void DivideRows(DenseMatrix vt, double[] s)
    {
        for (int c = 0; c < s.Length; c++)
        {
            var row = vt.Row(c);
            if (s[c] > 0) VectorOps.Scale(1.0 / s[c], row); else row.Clear();
        }
    }
}
