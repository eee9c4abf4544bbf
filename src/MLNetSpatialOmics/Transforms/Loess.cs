namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// One-predictor LOESS (Cleveland, Grosse &amp; Shyu), evaluated directly at every data point: for each x₀ the
/// q = ⌊n·span⌋ nearest points get tricube weights (1 − (d/h)³)³ with h the distance to the q-th nearest, and a
/// weighted least-squares polynomial of the given degree in (x − x₀) is fitted; the fitted value is its intercept.
/// Gaussian family, no robustness iterations. Differences from R/skmisc <c>loess</c> (what scanpy's seurat_v3 calls):
/// those evaluate the fit exactly only at kd-tree vertices and interpolate in between (surface = "interpolate"), so
/// their fitted values differ slightly from these direct ones.
/// </summary>
public static class Loess
{
    public static double[] Fit(double[] x, double[] y, double span = 0.3, int degree = 2)
    {
        int n = x.Length;
        if (y.Length != n) throw new ArgumentException($"LOESS: {n} x values but {y.Length} y values.");
        if (degree is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(degree), degree, "LOESS degree must be 0, 1 or 2.");
        if (!(span > 0) || span > 1) throw new ArgumentOutOfRangeException(nameof(span), span, "LOESS span must be in (0, 1].");
        int q = Math.Max((int)Math.Floor(n * span), degree + 1);
        if (n < degree + 1) throw new ArgumentException($"LOESS of degree {degree} needs at least {degree + 1} points; got {n}.");
        q = Math.Min(q, n);
        var order = Enumerable.Range(0, n).OrderBy(i => x[i]).ThenBy(i => i).ToArray();
        var xs = order.Select(i => x[i]).ToArray();
        var ys = order.Select(i => y[i]).ToArray();
        var fittedSorted = new double[n];
        int lo = 0;
        for (int t = 0; t < n; t++)
        {
            double x0 = xs[t];
            while (lo + q < n && xs[lo + q] - x0 < x0 - xs[lo]) lo++;
            double h = Math.Max(x0 - xs[lo], xs[lo + q - 1] - x0);
            fittedSorted[t] = LocalFit(xs, ys, lo, lo + q, x0, h, degree, n);
        }
        var fitted = new double[n];
        for (int t = 0; t < n; t++) fitted[order[t]] = fittedSorted[t];
        return fitted;
    }

    private static double LocalFit(double[] xs, double[] ys, int start, int end, double x0, double h, int degree, int n)
    {
        // Points at exactly distance h outside the window also get weight 0, so the window is the whole support.
        int p = degree + 1;
        Span<double> ata = stackalloc double[9];
        Span<double> aty = stackalloc double[3];
        ata.Clear(); aty.Clear();
        double scale = h > 0 ? h : 1;
        bool any = false;
        Span<double> basis = stackalloc double[3];
        for (int i = start; i < end; i++)
        {
            double d = Math.Abs(xs[i] - x0);
            double w;
            if (h > 0)
            {
                double r = d / h;
                if (r >= 1) continue;
                double c = 1 - r * r * r;
                w = c * c * c;
            }
            else w = 1;   // all q neighbours coincide with x0
            any = true;
            double u = (xs[i] - x0) / scale;
            basis[0] = 1; basis[1] = u; basis[2] = u * u;
            for (int a = 0; a < p; a++)
            {
                aty[a] += w * basis[a] * ys[i];
                for (int b = 0; b < p; b++) ata[a * 3 + b] += w * basis[a] * basis[b];
            }
        }
        if (!any) return ys[start];
        return SolveIntercept(ata, aty, p);
    }

    /// <summary>Solves the p×p normal equations by Gaussian elimination with partial pivoting; a singular system
    /// (too few distinct x) falls back to a lower degree.</summary>
    private static double SolveIntercept(Span<double> ata, Span<double> aty, int p)
    {
        Span<double> m = stackalloc double[12];
        for (int a = 0; a < p; a++) { for (int b = 0; b < p; b++) m[a * 4 + b] = ata[a * 3 + b]; m[a * 4 + p] = aty[a]; }
        double scale = 0;
        for (int a = 0; a < p; a++) scale = Math.Max(scale, Math.Abs(ata[a * 3 + a]));
        for (int c = 0; c < p; c++)
        {
            int piv = c;
            for (int r = c + 1; r < p; r++) if (Math.Abs(m[r * 4 + c]) > Math.Abs(m[piv * 4 + c])) piv = r;
            if (Math.Abs(m[piv * 4 + c]) <= 1e-12 * scale)
                return p > 1 ? SolveIntercept(ata, aty, p - 1) : (ata[0] > 0 ? aty[0] / ata[0] : 0);
            if (piv != c) for (int k = 0; k <= p; k++) (m[c * 4 + k], m[piv * 4 + k]) = (m[piv * 4 + k], m[c * 4 + k]);
            for (int r = c + 1; r < p; r++)
            {
                double f = m[r * 4 + c] / m[c * 4 + c];
                for (int k = c; k <= p; k++) m[r * 4 + k] -= f * m[c * 4 + k];
            }
        }
        Span<double> sol = stackalloc double[3];
        for (int r = p - 1; r >= 0; r--)
        {
            double s = m[r * 4 + p];
            for (int k = r + 1; k < p; k++) s -= m[r * 4 + k] * sol[k];
            sol[r] = s / m[r * 4 + r];
        }
        return sol[0];
    }
}
