namespace MLNetSpatialOmics.Numerics;

/// <summary>A truncated SVD A ≈ U·diag(S)·Vt with U (m×k), S descending (k), Vt (k×n).</summary>
public sealed class SvdResult
{
    public DenseMatrix U { get; }
    public double[] S { get; }
    public DenseMatrix Vt { get; }

    public SvdResult(DenseMatrix u, double[] s, DenseMatrix vt)
    {
        if (u.Cols != s.Length || vt.Rows != s.Length)
            throw new ArgumentException($"inconsistent SVD shapes: U {u.Rows}×{u.Cols}, {s.Length} values, Vt {vt.Rows}×{vt.Cols}.");
        U = u; S = s; Vt = vt;
    }

    /// <summary>
    /// scikit-learn's <c>svd_flip(u_based_decision=True)</c>: flips each (U column, Vt row) pair so that the entry of
    /// largest magnitude in the U column is positive (the first such entry on exact ties). Makes signs deterministic.
    /// </summary>
    public SvdResult FlipSignsByU()
    {
        for (int c = 0; c < S.Length; c++)
        {
            int best = 0; double bestAbs = -1;
            for (int i = 0; i < U.Rows; i++)
            {
                double a = Math.Abs(U[i, c]);
                if (a > bestAbs) { bestAbs = a; best = i; }
            }
            if (U.Rows == 0 || U[best, c] >= 0) continue;
            for (int i = 0; i < U.Rows; i++) U[i, c] = -U[i, c];
            var v = Vt.Row(c);
            for (int j = 0; j < v.Length; j++) v[j] = -v[j];
        }
        return this;
    }
}
