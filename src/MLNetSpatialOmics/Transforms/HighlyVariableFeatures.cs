namespace MLNetSpatialOmics.Transforms;

/// <summary>Highly-variable-feature flavours (scanpy <c>highly_variable_genes(flavor=...)</c>).</summary>
public enum HvgFlavor
{
    /// <summary>scanpy "seurat": on log-normalised data; dispersion of expm1(x), z-scored within 20 equal-width bins of log1p(mean).</summary>
    Seurat,
    /// <summary>scanpy "seurat_v3": on raw counts; variance of standardised, clipped counts after a LOESS fit of log10 variance on log10 mean.</summary>
    SeuratV3,
}

/// <summary>
/// The selection kernels. Both return the chosen feature indices in ascending (original) order, as scanpy's boolean
/// mask subsets them. Single batch only. Differences from scanpy are listed on each method.
/// </summary>
public static class HighlyVariableFeatures
{
    /// <summary>
    /// scanpy flavor "seurat" (1.9): X ← expm1(X); mean, variance (ddof 1); mean 0 → 1e-12; dispersion = var/mean,
    /// 0 → NaN, then log; mean ← log1p(mean); 20 equal-width bins of mean as <c>pandas.cut</c> (lowest edge lowered by
    /// 0.1 % of the range); normalised dispersion = (d − bin mean) / bin sd (ddof 1, NaN skipped; a bin with one gene
    /// uses sd = its mean and mean = 0); the cut-off is the n-th largest finite normalised dispersion and every feature
    /// with nan_to_num(value) ≥ cut-off is kept (ties can keep a few more, as in scanpy).
    /// </summary>
    public static int[] Seurat(FeatureMatrix logData, int topCount, int bins = 20)
    {
        var norm = SeuratNormalisedDispersion(logData, bins);
        var finite = norm.Where(double.IsFinite).OrderByDescending(v => v).ToArray();
        if (topCount >= finite.Length) return Enumerable.Range(0, norm.Length).ToArray();
        double cutoff = finite[topCount - 1];
        return Enumerable.Range(0, norm.Length).Where(j => (double.IsNaN(norm[j]) ? 0 : norm[j]) >= cutoff).ToArray();
    }

    public static double[] SeuratNormalisedDispersion(FeatureMatrix logData, int bins = 20)
    {
        var expm1 = logData.MapStored((_, v) => ExpM1(v));
        var (mean, variance) = MeanVariance(expm1);
        int p = mean.Length;
        var disp = new double[p];
        var logMean = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = mean[j] == 0 ? 1e-12 : mean[j];
            double d = variance[j] / m;
            disp[j] = d == 0 ? double.NaN : Math.Log(d);
            logMean[j] = CountKernels.LogOnePlus(m);
        }
        var bin = PandasCut(logMean, bins);
        var binMean = new double[bins];
        var binSd = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            var vals = Enumerable.Range(0, p).Where(j => bin[j] == b && !double.IsNaN(disp[j])).Select(j => disp[j]).ToArray();
            if (vals.Length == 0) { binMean[b] = double.NaN; binSd[b] = double.NaN; continue; }
            double mu = vals.Average();
            if (vals.Length == 1) { binSd[b] = mu; binMean[b] = 0; continue; }
            binMean[b] = mu;
            binSd[b] = Math.Sqrt(vals.Sum(v => (v - mu) * (v - mu)) / (vals.Length - 1));
        }
        var norm = new double[p];
        for (int j = 0; j < p; j++) norm[j] = (disp[j] - binMean[bin[j]]) / binSd[bin[j]];
        return norm;
    }

    /// <summary>pandas.cut(values, bins) bin indices (right-closed intervals, lowest edge extended by 0.1 % of the range).</summary>
    internal static int[] PandasCut(double[] values, int bins)
    {
        double mn = values.Min(), mx = values.Max();
        var edges = new double[bins + 1];
        if (mn == mx)
        {
            mn -= mn != 0 ? 0.001 * Math.Abs(mn) : 0.001;
            mx += mx != 0 ? 0.001 * Math.Abs(mx) : 0.001;
            for (int b = 0; b <= bins; b++) edges[b] = mn + (mx - mn) * b / bins;
        }
        else
        {
            for (int b = 0; b <= bins; b++) edges[b] = mn + (mx - mn) * b / bins;   // numpy.linspace
            edges[bins] = mx;
            edges[0] -= (mx - mn) * 0.001;
        }
        var result = new int[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            int idx = Array.BinarySearch(edges, values[j]);
            if (idx < 0) idx = ~idx;                 // first edge ≥ value (searchsorted side='left')
            result[j] = Math.Clamp(idx - 1, 0, bins - 1);
        }
        return result;
    }

    /// <summary>
    /// scanpy flavor "seurat_v3" (single batch): mean and variance (ddof 1) of the counts; for features with variance
    /// &gt; 0 a LOESS (span, degree 2) of log10 variance on log10 mean gives the expected variance σ̂²; counts are clipped
    /// at mean + σ̂·√n; the normalised variance is Σ (min(x, clip) − mean)² / ((n − 1)·σ̂²) (constant features get 0).
    /// The top <paramref name="topCount"/> by normalised variance are kept (ties broken by lower index, where scanpy's
    /// unstable argsort is arbitrary). Differs from scanpy only through <see cref="Loess"/>'s direct evaluation.
    /// </summary>
    public static int[] SeuratV3(FeatureMatrix counts, int topCount, double span = 0.3) =>
        TopByScore(SeuratV3NormalisedVariance(counts, span), topCount);

    public static double[] SeuratV3NormalisedVariance(FeatureMatrix counts, double span = 0.3)
    {
        var (mean, variance) = MeanVariance(counts);
        int n = counts.Rows, p = mean.Length;
        var nonConst = Enumerable.Range(0, p).Where(j => variance[j] > 0).ToArray();
        var estimatedLogVar = new double[p];
        if (nonConst.Length > 0)
        {
            var fit = Loess.Fit(nonConst.Select(j => Math.Log10(mean[j])).ToArray(), nonConst.Select(j => Math.Log10(variance[j])).ToArray(), span, 2);
            for (int k = 0; k < nonConst.Length; k++) estimatedLogVar[nonConst[k]] = fit[k];
        }
        var regStd = estimatedLogVar.Select(v => Math.Sqrt(Math.Pow(10, v))).ToArray();
        double vmax = Math.Sqrt(n);
        var clip = new double[p];
        for (int j = 0; j < p; j++) clip[j] = regStd[j] * vmax + mean[j];
        var sum = new double[p];
        var sumSq = new double[p];
        if (counts.Sparse is { } s)
        {
            for (long q = 0; q < s.NonZeroCount; q++)
            {
                int j = s.ColIndices[q];
                double v = Math.Min(s.Values[q], clip[j]);
                sum[j] += v; sumSq[j] += v * v;
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                var row = counts.Dense!.RowReadOnly(i);
                for (int j = 0; j < p; j++) { double v = Math.Min(row[j], clip[j]); sum[j] += v; sumSq[j] += v * v; }
            }
        }
        var result = new double[p];
        for (int j = 0; j < p; j++)
            result[j] = 1.0 / ((n - 1) * regStd[j] * regStd[j]) * (n * mean[j] * mean[j] + sumSq[j] - 2 * sum[j] * mean[j]);
        return result;
    }

    internal static int[] TopByScore(double[] score, int topCount)
    {
        if (topCount >= score.Length) return Enumerable.Range(0, score.Length).ToArray();
        var chosen = Enumerable.Range(0, score.Length)
            .OrderByDescending(j => double.IsNaN(score[j]) ? double.NegativeInfinity : score[j]).ThenBy(j => j)
            .Take(topCount).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Column means and variances (ddof 1), two-pass.</summary>
    internal static (double[] Mean, double[] Variance) MeanVariance(FeatureMatrix x)
    {
        int n = x.Rows;
        if (n < 2) throw new ArgumentException($"feature statistics need at least 2 spots; the input has {n}.");
        var (mean, ss) = ScaleKernel.MeanAndSquaredDeviations(x);
        return (mean, ss.Select(v => v / (n - 1)).ToArray());
    }

    private static double ExpM1(double v) => Math.Abs(v) < 1e-5 ? v + v * v / 2 + v * v * v / 6 : Math.Exp(v) - 1;
}
