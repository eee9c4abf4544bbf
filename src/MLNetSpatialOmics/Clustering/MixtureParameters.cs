namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// Parameters of a G-component Gaussian mixture in d dimensions: proportions, means and one d×d covariance per
/// component (shared models hold the same values in every component). Cholesky factors are kept for the E-step.
/// </summary>
internal sealed class MixtureParameters
{
    public MixtureModelName Model { get; }
    public int Components { get; }
    public int Dimension { get; }
    public double[] Proportions { get; }
    /// <summary>Row k = mean of component k (G × d, row-major).</summary>
    public double[] Means { get; }
    /// <summary>Component k's covariance at [k·d·d ..), row-major.</summary>
    public double[] Covariances { get; }
    private readonly double[][] _cholesky;
    private readonly double[] _halfLogDet;

    private MixtureParameters(MixtureModelName model, int g, int d, double[] pro, double[] means, double[] cov, double[][] chol, double[] hld)
    {
        Model = model; Components = g; Dimension = d;
        Proportions = pro; Means = means; Covariances = cov;
        _cholesky = chol; _halfLogDet = hld;
    }

    /// <summary>Validates and factorises; returns null when a covariance is not positive definite.</summary>
    public static MixtureParameters? TryCreate(MixtureModelName model, int g, int d, double[] pro, double[] means, double[] cov)
    {
        var chol = new double[g][];
        var hld = new double[g];
        for (int k = 0; k < g; k++)
        {
            var l = cov.AsSpan(k * d * d, d * d).ToArray();
            if (!DenseLinearAlgebra.Cholesky(l, d)) return null;
            // mclust refuses a covariance whose Cholesky diagonal is ill-conditioned: min/(1+max) ≤ √eps.
            double umin = double.MaxValue, umax = 0;
            for (int j = 0; j < d; j++) { double u = Math.Abs(l[j * d + j]); umin = Math.Min(umin, u); umax = Math.Max(umax, u); }
            if (umin / (1 + umax) <= 1.4901161193847656e-08) return null;
            chol[k] = l;
            hld[k] = DenseLinearAlgebra.HalfLogDet(l, d);
        }
        return new MixtureParameters(model, g, d, pro, means, cov, chol, hld);
    }

    public static MixtureParameters Create(MixtureModelName model, int g, int d, double[] pro, double[] means, double[] cov) =>
        TryCreate(model, g, d, pro, means, cov)
        ?? throw new InvalidOperationException($"the {model} mixture has a singular or ill-conditioned covariance.");

    private const double LogTwoPi = 1.837877066409345; // mclust's pi2log
    private const double SmallLog = -708.0;            // mclust's SMALOG: exp() below this is taken as 0

    /// <summary>
    /// E-step as mclust computes it: per row, log π_k + log φ(x; μ_k, Σ_k), normalised by log-sum-exp; returns the
    /// total log-likelihood and writes the posteriors (n × G, row-major) into <paramref name="z"/>.
    /// </summary>
    public double EStep(Numerics.DenseMatrix x, double[] z)
    {
        int n = x.Rows, g = Components, d = Dimension;
        double piterm = d * LogTwoPi / 2;
        var logPro = Proportions.Select(p => p == 0 ? double.NegativeInfinity : Math.Log(p)).ToArray();
        return ParallelRows.Sum(n, (start, end) =>
        {
            var w = new double[d];
            double hood = 0;
            for (int i = start; i < end; i++)
            {
                var row = x.RowReadOnly(i);
                int zi = i * g;
                double tmax = double.NegativeInfinity;
                for (int k = 0; k < g; k++)
                {
                    if (Proportions[k] == 0) { z[zi + k] = double.NegativeInfinity; continue; }
                    for (int j = 0; j < d; j++) w[j] = row[j] - Means[k * d + j];
                    double ss = DenseLinearAlgebra.SolveLowerSquaredNorm(_cholesky[k], d, w);
                    double t = logPro[k] - (piterm + _halfLogDet[k] + ss / 2);
                    z[zi + k] = t;
                    if (t > tmax) tmax = t;
                }
                double sum = 0;
                for (int k = 0; k < g; k++)
                {
                    double t = z[zi + k] - tmax;
                    double e = t >= SmallLog ? Math.Exp(t) : 0.0;
                    z[zi + k] = e;
                    sum += e;
                }
                hood += Math.Log(sum) + tmax;
                double inv = 1 / sum;
                for (int k = 0; k < g; k++) z[zi + k] *= inv;
            }
            return hood;
        });
    }

    /// <summary>
    /// M-step for the model from soft assignments z (n × G): π_k = n_k/n, weighted means, and the model's maximum
    /// likelihood covariance from the within-component scatter matrices W_k. Null when a component is (nearly) empty
    /// or a covariance is singular — mclust's failure cases.
    /// </summary>
    public static MixtureParameters? MStep(MixtureModelName model, Numerics.DenseMatrix x, double[] z, int g)
    {
        int n = x.Rows, d = x.Cols;
        // Pass 1: component sizes and weighted sums.
        var sums = ParallelRows.SumArrays(n, g + g * d, (start, end, acc) =>
        {
            for (int i = start; i < end; i++)
            {
                var row = x.RowReadOnly(i);
                for (int k = 0; k < g; k++)
                {
                    double zik = z[i * g + k];
                    if (zik == 0) continue;
                    acc[k] += zik;
                    int o = g + k * d;
                    for (int j = 0; j < d; j++) acc[o + j] += zik * row[j];
                }
            }
        });
        var nk = sums.AsSpan(0, g).ToArray();
        const double rteps = 1.4901161193847656e-08;
        if (nk.Min() <= rteps) return null;
        var means = new double[g * d];
        for (int k = 0; k < g; k++)
            for (int j = 0; j < d; j++) means[k * d + j] = sums[g + k * d + j] / nk[k];

        // Pass 2: centred scatter per component (full or diagonal only).
        bool full = model.IsFull();
        int per = full ? d * d : d;
        var scatter = ParallelRows.SumArrays(n, g * per, (start, end, acc) =>
        {
            var w = new double[d];
            for (int i = start; i < end; i++)
            {
                var row = x.RowReadOnly(i);
                for (int k = 0; k < g; k++)
                {
                    double zik = z[i * g + k];
                    if (zik == 0) continue;
                    for (int j = 0; j < d; j++) w[j] = row[j] - means[k * d + j];
                    int o = k * per;
                    if (full)
                    {
                        for (int a = 0; a < d; a++)
                        {
                            double za = zik * w[a];
                            int ra = o + a * d;
                            for (int b = 0; b <= a; b++) acc[ra + b] += za * w[b];
                        }
                    }
                    else
                        for (int a = 0; a < d; a++) acc[o + a] += zik * w[a] * w[a];
                }
            }
        });
        if (full)
            for (int k = 0; k < g; k++)
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < a; b++) scatter[k * per + b * d + a] = scatter[k * per + a * d + b];

        var cov = new double[g * d * d];
        switch (model)
        {
            case MixtureModelName.EEE:
            {
                var pooled = new double[d * d];
                for (int k = 0; k < g; k++) for (int t = 0; t < d * d; t++) pooled[t] += scatter[k * per + t];
                for (int k = 0; k < g; k++) for (int t = 0; t < d * d; t++) cov[k * d * d + t] = pooled[t] / n;
                break;
            }
            case MixtureModelName.VVV:
                for (int k = 0; k < g; k++) for (int t = 0; t < d * d; t++) cov[k * d * d + t] = scatter[k * per + t] / nk[k];
                break;
            case MixtureModelName.EEI:
            {
                var pooled = new double[d];
                for (int k = 0; k < g; k++) for (int a = 0; a < d; a++) pooled[a] += scatter[k * per + a];
                for (int k = 0; k < g; k++) for (int a = 0; a < d; a++) cov[k * d * d + a * d + a] = pooled[a] / n;
                break;
            }
            case MixtureModelName.VVI:
                for (int k = 0; k < g; k++) for (int a = 0; a < d; a++) cov[k * d * d + a * d + a] = scatter[k * per + a] / nk[k];
                break;
            case MixtureModelName.EII:
            {
                double trace = 0;
                for (int k = 0; k < g; k++) for (int a = 0; a < d; a++) trace += scatter[k * per + a];
                double lambda = trace / ((double)n * d);
                for (int k = 0; k < g; k++) for (int a = 0; a < d; a++) cov[k * d * d + a * d + a] = lambda;
                break;
            }
            case MixtureModelName.VII:
                for (int k = 0; k < g; k++)
                {
                    double trace = 0;
                    for (int a = 0; a < d; a++) trace += scatter[k * per + a];
                    for (int a = 0; a < d; a++) cov[k * d * d + a * d + a] = trace / (nk[k] * d);
                }
                break;
        }
        var pro = nk.Select(v => v / n).ToArray();
        return TryCreate(model, g, d, pro, means, cov);
    }
}
