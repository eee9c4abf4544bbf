using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Transforms;

/// <summary>How <see cref="ScaleKernel"/> clips z-scores at <c>MaxValue</c>.</summary>
public enum ScaleClipMode
{
    /// <summary>No clipping (scanpy's default, what SpatialGlue/PRAGA use).</summary>
    None,
    /// <summary>Only z &gt; MaxValue is set to MaxValue: scanpy ≤ 1.9 (<c>X[X &gt; max_value] = max_value</c>).</summary>
    UpperOnly,
    /// <summary>z is clipped to [−MaxValue, MaxValue]: scanpy ≥ 1.10.</summary>
    Symmetric,
}

/// <summary>Per-feature z-scoring as <c>scanpy.pp.scale</c>: fitted means and standard deviations (sd 0 → 1).</summary>
public static class ScaleKernel
{
    /// <summary>Column means and standard deviations (two-pass, with the given delta degrees of freedom); sd 0 is replaced by 1.</summary>
    public static (double[] Mean, double[] Sd) Fit(FeatureMatrix x, int ddof = 1)
    {
        int n = x.Rows, p = x.Cols;
        if (ddof is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(ddof), ddof, "ddof must be 0 (population sd) or 1 (scanpy's unbiased sd).");
        if (n - ddof <= 0) throw new ArgumentException($"scaling needs more than {ddof} spot(s); the input has {n}.");
        var (mean, ss) = MeanAndSquaredDeviations(x);
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            sd[j] = Math.Sqrt(ss[j] / (n - ddof));
            if (sd[j] == 0) sd[j] = 1;
        }
        return (mean, sd);
    }

    /// <summary>Column means and Σ(x − mean)² (two-pass; implicit zeros of a sparse matrix included).</summary>
    internal static (double[] Mean, double[] SquaredDeviations) MeanAndSquaredDeviations(FeatureMatrix x)
    {
        int n = x.Rows, p = x.Cols;
        var mean = x.ColumnSums();
        for (int j = 0; j < p; j++) mean[j] /= n;
        var ss = new double[p];
        if (x.Sparse is { } s)
        {
            var nnz = new long[p];
            for (long q = 0; q < s.NonZeroCount; q++)
            {
                int j = s.ColIndices[q];
                double d = s.Values[q] - mean[j];
                ss[j] += d * d;
                nnz[j]++;
            }
            for (int j = 0; j < p; j++) ss[j] += (n - nnz[j]) * mean[j] * mean[j];
        }
        else
        {
            var d = x.Dense!;
            for (int i = 0; i < n; i++)
            {
                var row = d.RowReadOnly(i);
                for (int j = 0; j < p; j++) { double t = row[j] - mean[j]; ss[j] += t * t; }
            }
        }
        return (mean, ss);
    }

    /// <summary>z = (x − mean) / sd, clipped as asked, written row-major into a new dense matrix.</summary>
    public static DenseMatrix Apply(FeatureMatrix x, double[] mean, double[] sd, ScaleClipMode clip = ScaleClipMode.None, double maxValue = 10)
    {
        var result = new DenseMatrix(x.Rows, x.Cols);
        Apply(x, mean, sd, clip, maxValue, (i, j, z) => result.Data[(long)i * x.Cols + j] = z);
        return result;
    }

    /// <summary>The same, straight into a float buffer (saves a dense double copy of large inputs).</summary>
    public static float[] ApplyToSingle(FeatureMatrix x, double[] mean, double[] sd, ScaleClipMode clip, double maxValue)
    {
        var result = new float[(long)x.Rows * x.Cols];
        Apply(x, mean, sd, clip, maxValue, (i, j, z) => result[(long)i * x.Cols + j] = (float)z);
        return result;
    }

    private static void Apply(FeatureMatrix x, double[] mean, double[] sd, ScaleClipMode clip, double maxValue, Action<int, int, double> write)
    {
        int p = x.Cols;
        if (mean.Length != p || sd.Length != p) throw new ArgumentException($"fitted for {mean.Length} features, the input has {p}.");
        if (clip != ScaleClipMode.None && !(maxValue > 0)) throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "clip value must be positive.");
        var zeroZ = new double[p];
        for (int j = 0; j < p; j++) zeroZ[j] = Clip((0 - mean[j]) / sd[j], clip, maxValue);
        Parallel.For(0, x.Rows, Parallelism.Options, i =>
        {
            if (x.Sparse is { } s)
            {
                var idx = s.RowIndices(i); var val = s.RowValues(i);
                int q = 0;
                for (int j = 0; j < p; j++)
                {
                    if (q < idx.Length && idx[q] == j) { write(i, j, Clip((val[q] - mean[j]) / sd[j], clip, maxValue)); q++; }
                    else write(i, j, zeroZ[j]);
                }
            }
            else
            {
                var row = x.Dense!.RowReadOnly(i);
                for (int j = 0; j < p; j++) write(i, j, Clip((row[j] - mean[j]) / sd[j], clip, maxValue));
            }
        });
    }

    private static double Clip(double z, ScaleClipMode mode, double max) => mode switch
    {
        ScaleClipMode.UpperOnly => z > max ? max : z,
        ScaleClipMode.Symmetric => z > max ? max : z < -max ? -max : z,
        _ => z,
    };
}
