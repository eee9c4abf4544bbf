namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// The <c>k</c> largest eigenpairs of a dense symmetric matrix, to working precision: Householder reduction to
/// tridiagonal form, eigenvalues by Sturm-sequence bisection, eigenvectors by inverse iteration on the tridiagonal
/// matrix (re-orthogonalised within clusters of close eigenvalues, as LAPACK's dstein does), then back-transformed.
/// Costs about n³ multiply-adds for the reduction plus O(n²·k) for the vectors, so the top 10 of a 1000×1000 Gram
/// matrix need a fraction of the work of a full decomposition.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Eigenvalues in descending order and the matching unit eigenvectors as the columns of an n×k matrix.</summary>
    public readonly record struct Result(double[] Values, DenseMatrix Vectors);

    public static Result Largest(DenseMatrix a, int k)
    {
        ArgumentNullException.ThrowIfNull(a);
        int n = a.Rows;
        if (a.Cols != n) throw new ArgumentException($"matrix must be square, it is {a.Rows}×{a.Cols}.", nameof(a));
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"must be in 0..{n}.");
        for (long i = 0; i < a.Data.LongLength; i++)
            if (!double.IsFinite(a.Data[i])) throw new ArgumentException("matrix contains NaN or infinity.", nameof(a));
        var work = a.Clone();
        var (d, e, reflectors, betas) = Tridiagonalize(work);
        var values = new double[k];
        var vectors = new DenseMatrix(n, k);
        if (k == 0) return new Result(values, vectors);

        double norm = 0;
        for (int i = 0; i < n; i++)
            norm = Math.Max(norm, Math.Abs(d[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < n - 1 ? Math.Abs(e[i]) : 0));
        for (int j = 0; j < k; j++) values[j] = KthSmallest(d, e, n - 1 - j, norm);

        var tvecs = new double[k][];
        double clusterTol = 1e-3 * norm;
        int clusterStart = 0;
        for (int j = 0; j < k; j++)
        {
            if (j > 0 && Math.Abs(values[j - 1] - values[j]) > clusterTol) clusterStart = j;
            tvecs[j] = InverseIteration(d, e, values[j], norm, j, tvecs, clusterStart);
        }
        // Back-transform: x = H_0 H_1 … H_{n-3} y.
        Parallel.For(0, k, Parallelism.Options, j =>
        {
            var x = tvecs[j];
            for (int r = reflectors.Length - 1; r >= 0; r--)
            {
                var v = reflectors[r];
                if (v is null) continue;
                int off = r + 1;
                var sub = x.AsSpan(off, v.Length);
                double s = betas[r] * VectorOps.Dot(v, sub);
                VectorOps.Axpy(-s, v, sub);
            }
            for (int i = 0; i < n; i++) vectors[i, j] = x[i];
        });
        return new Result(values, vectors);
    }

    /// <summary>Householder tridiagonalisation; returns the diagonal, off-diagonal and reflectors (v, β) for step r acting on rows r+1...</summary>
    private static (double[] D, double[] E, double[]?[] V, double[] Beta) Tridiagonalize(DenseMatrix a)
    {
        int n = a.Rows;
        var d = new double[n];
        var e = new double[Math.Max(n - 1, 0)];
        var vs = new double[]?[Math.Max(n - 2, 0)];
        var betas = new double[Math.Max(n - 2, 0)];
        var p = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int m = n - k - 1;
            var x = new double[m];
            for (int i = 0; i < m; i++) x[i] = a[k + 1 + i, k];
            double xnorm = Math.Sqrt(VectorOps.Dot(x, x));
            d[k] = a[k, k];
            if (xnorm == 0) { e[k] = 0; vs[k] = null; continue; }
            double alpha = x[0] > 0 ? -xnorm : xnorm;
            // v = x − alpha·e1; H = I − β v vᵀ with β = 2 / vᵀv.
            x[0] -= alpha;
            double vtv = VectorOps.Dot(x, x);
            if (vtv == 0) { e[k] = x[0] + alpha; vs[k] = null; continue; }
            double beta = 2.0 / vtv;
            e[k] = alpha;
            vs[k] = x;
            betas[k] = beta;
            int off = k + 1;
            // p = β A22 v
            Parallel.For(0, m, Parallelism.Options, i =>
            {
                p[i] = beta * VectorOps.Dot(a.Data.AsSpan((off + i) * n + off, m), x);
            });
            double c = 0.5 * beta * VectorOps.Dot(p.AsSpan(0, m), x);
            for (int i = 0; i < m; i++) p[i] -= c * x[i];   // w
            var w = p;
            Parallel.For(0, m, Parallelism.Options, i =>
            {
                var row = a.Data.AsSpan((off + i) * n + off, m);
                VectorOps.Axpy(-x[i], w.AsSpan(0, m), row);
                VectorOps.Axpy(-w[i], x, row);
            });
        }
        if (n >= 2)
        {
            d[n - 2] = a[n - 2, n - 2];
            e[n - 2] = a[n - 1, n - 2];
        }
        if (n >= 1) d[n - 1] = a[n - 1, n - 1];
        return (d, e, vs, betas);
    }

    /// <summary>Number of eigenvalues of the tridiagonal matrix strictly below x (Sturm count).</summary>
    private static int CountBelow(double[] d, double[] e, double x, double pivmin)
    {
        int count = 0;
        double q = d[0] - x;
        if (Math.Abs(q) < pivmin) q = -pivmin;
        if (q < 0) count++;
        for (int i = 1; i < d.Length; i++)
        {
            q = d[i] - x - e[i - 1] * e[i - 1] / q;
            if (Math.Abs(q) < pivmin) q = -pivmin;
            if (q < 0) count++;
        }
        return count;
    }

    private static double KthSmallest(double[] d, double[] e, int index, double norm)
    {
        double lo = -norm - 1e-300, hi = norm + 1e-300;
        double pivmin = 1e-290 * Math.Max(1.0, norm * norm);
        for (int it = 0; it < 2000; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (hi - lo <= 4e-16 * Math.Max(Math.Abs(lo), Math.Abs(hi)) + 1e-18 * norm) break;
            if (CountBelow(d, e, mid, pivmin) > index) hi = mid; else lo = mid;
        }
        return 0.5 * (lo + hi);
    }

    private static double[] InverseIteration(double[] d, double[] e, double lambda, double norm, int j, double[][] previous, int clusterStart)
    {
        int n = d.Length;
        if (n == 1) return new[] { 1.0 };
        double tiny = norm > 0 ? norm * 1e-16 : 1e-300;
        // LU with partial pivoting of T − λI: row i of U has entries at i, i+1, i+2.
        var u0 = new double[n]; var u1 = new double[n]; var u2 = new double[n];
        var mult = new double[n]; var swapped = new bool[n];
        double curDiag = d[0] - lambda, curSup = e[0];
        for (int i = 0; i < n - 1; i++)
        {
            double sub = e[i];
            double nextDiag = d[i + 1] - lambda;
            double nextSup = i + 1 < n - 1 ? e[i + 1] : 0;
            if (Math.Abs(curDiag) >= Math.Abs(sub))
            {
                if (curDiag == 0) curDiag = tiny;
                u0[i] = curDiag; u1[i] = curSup; u2[i] = 0;
                double m = sub / curDiag;
                mult[i] = m; swapped[i] = false;
                curDiag = nextDiag - m * curSup;
                curSup = nextSup;
            }
            else
            {
                u0[i] = sub; u1[i] = nextDiag; u2[i] = nextSup;
                double m = curDiag / sub;
                mult[i] = m; swapped[i] = true;
                double nd = curSup - m * nextDiag;
                curSup = -m * nextSup;
                curDiag = nd;
            }
        }
        u0[n - 1] = curDiag == 0 ? tiny : curDiag;
        for (int i = 0; i < n - 1; i++) if (u0[i] == 0) u0[i] = tiny;

        // Deterministic start vector that is unlikely to be orthogonal to the eigenvector.
        var x = new double[n];
        var rng = new Random(12345 + j);
        for (int i = 0; i < n; i++) x[i] = rng.NextDouble() - 0.5;
        for (int iter = 0; iter < 5; iter++)
        {
            for (int i = 0; i < n - 1; i++)
            {
                if (swapped[i]) (x[i], x[i + 1]) = (x[i + 1], x[i]);
                x[i + 1] -= mult[i] * x[i];
            }
            x[n - 1] /= u0[n - 1];
            x[n - 2] = (x[n - 2] - u1[n - 2] * x[n - 1]) / u0[n - 2];
            for (int i = n - 3; i >= 0; i--) x[i] = (x[i] - u1[i] * x[i + 1] - u2[i] * x[i + 2]) / u0[i];
            for (int c = clusterStart; c < j; c++)
            {
                double s = VectorOps.Dot(previous[c], x);
                VectorOps.Axpy(-s, previous[c], x);
            }
            double nrm = Math.Sqrt(VectorOps.Dot(x, x));
            if (nrm == 0 || !double.IsFinite(nrm))
            {
                for (int i = 0; i < n; i++) x[i] = rng.NextDouble() - 0.5;
                continue;
            }
            VectorOps.Scale(1.0 / nrm, x);
        }
        // A degenerate start (zero matrix) may leave an unnormalised random vector: orthonormalise it once more.
        for (int c = clusterStart; c < j; c++) VectorOps.Axpy(-VectorOps.Dot(previous[c], x), previous[c], x);
        double final = Math.Sqrt(VectorOps.Dot(x, x));
        if (final > 0 && double.IsFinite(final)) VectorOps.Scale(1.0 / final, x);
        return x;
    }
}
