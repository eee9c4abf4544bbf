namespace MLNetSpatialOmics.Transforms;

/// <summary>Per-spot kernels on count matrices, in double precision. All keep zeros zero, so sparse stays sparse.</summary>
public static class CountKernels
{
    /// <summary>
    /// scanpy <c>normalize_total(target_sum)</c>: y_ij = x_ij / (s_i / target) with s_i the spot total; an all-zero
    /// spot gets s_i = 1 (scanpy's <c>counts += counts == 0</c>) and so stays all zero.
    /// </summary>
    public static FeatureMatrix NormalizeTotal(FeatureMatrix x, double targetSum = 1e4)
    {
        if (!(targetSum > 0) || !double.IsFinite(targetSum))
            throw new ArgumentOutOfRangeException(nameof(targetSum), targetSum, "target sum must be a positive finite number.");
        var totals = x.RowSums();
        var divisor = totals.Select(s => (s == 0 ? 1.0 : s) / targetSum).ToArray();
        return x.MapStored((i, v) => v / divisor[i]);
    }

    /// <summary>Natural log1p of every entry.</summary>
    public static FeatureMatrix Log1p(FeatureMatrix x) => x.MapStored((_, v) => LogOnePlus(v));

    /// <summary>log(1 + v) without cancellation for small v.</summary>
    internal static double LogOnePlus(double v)
    {
        double u = 1.0 + v;
        return u == 1.0 ? v : Math.Log(u) * v / (u - 1.0);
    }

    /// <summary>
    /// Seurat-style CLR per spot, as SpatialGlue/PRAGA's <c>clr_normalize_each_cell</c>:
    /// g = exp(Σ_{j: x_j &gt; 0} log1p(x_j) / p) over all p features, y_j = log1p(x_j / g). An all-zero spot has g = 1 and stays 0.
    /// </summary>
    public static FeatureMatrix Clr(FeatureMatrix x, out double[] geometricDivisor)
    {
        int p = x.Cols;
        var g = new double[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            double s = 0;
            if (x.Sparse is { } sp) { foreach (var v in sp.RowValues(i)) if (v > 0) s += LogOnePlus(v); }
            else foreach (var v in x.Dense!.RowReadOnly(i)) if (v > 0) s += LogOnePlus(v);
            g[i] = Math.Exp(s / p);
        }
        geometricDivisor = g;
        return x.MapStored((i, v) => LogOnePlus(v / g[i]));
    }
}
