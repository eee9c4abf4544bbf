using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Feature rows transformed so that every metric is one SIMD kernel: Euclidean keeps the rows and uses the squared
/// distance; cosine and correlation rows are (centred and) scaled to unit length, so d = 1 − z_i·z_j. Rows are
/// zero-padded to a multiple of the SIMD width (padding changes neither dot products nor distances).
/// </summary>
internal sealed class PreparedFeatures
{
    public int Count { get; }
    public int Stride { get; }
    public FeatureMetric Metric { get; }
    public double[] Data { get; }
    /// <summary>False for rows whose distance is undefined (zero vector for cosine, constant row for correlation).</summary>
    public bool[] Valid { get; }

    public PreparedFeatures(DenseMatrix features, FeatureMetric metric)
    {
        int n = features.Rows, d = features.Cols;
        if (d < 1) throw new ArgumentException("feature kNN needs at least one feature column; the matrix has none.", nameof(features));
        int w = Vector<double>.Count;
        Stride = (d + w - 1) / w * w;
        Count = n;
        Metric = metric;
        Data = new double[(long)n * Stride];
        Valid = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var src = features.RowReadOnly(i);
            var dst = Data.AsSpan(i * Stride, d);
            for (int j = 0; j < d; j++)
                if (!double.IsFinite(src[j]))
                    throw new ArgumentException($"feature row {i}, column {j} is {src[j]}; feature kNN needs finite values.", nameof(features));
            src.CopyTo(dst);
            if (metric == FeatureMetric.Euclidean) { Valid[i] = true; continue; }
            if (metric == FeatureMetric.Correlation)
            {
                double mean = 0;
                for (int j = 0; j < d; j++) mean += dst[j];
                mean /= d;
                for (int j = 0; j < d; j++) dst[j] -= mean;
            }
            double ss = 0;
            for (int j = 0; j < d; j++) ss += dst[j] * dst[j];
            double norm = Math.Sqrt(ss);
            if (norm > 0)
            {
                for (int j = 0; j < d; j++) dst[j] /= norm;
                Valid[i] = true;
            }
            else dst.Clear();
        }
    }

    public ReadOnlySpan<double> Row(int i) => new(Data, i * Stride, Stride);

    /// <summary>The search distance: squared Euclidean, or 1 − z_i·z_j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Distance(int i, int j) => Distance(Row(i), j);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Distance(ReadOnlySpan<double> query, int j)
    {
        var a = MemoryMarshal.Cast<double, Vector<double>>(query);
        var b = MemoryMarshal.Cast<double, Vector<double>>(Row(j));
        var acc = Vector<double>.Zero;
        if (Metric == FeatureMetric.Euclidean)
        {
            for (int p = 0; p < a.Length; p++)
            {
                var diff = a[p] - b[p];
                acc += diff * diff;
            }
            return Vector.Sum(acc);
        }
        for (int p = 0; p < a.Length; p++) acc += a[p] * b[p];
        return 1.0 - Vector.Sum(acc);
    }

    /// <summary>Search distance → reported distance (Euclidean: square root; the others are ≥ 0 by definition).</summary>
    public double ToReported(double d) => Metric == FeatureMetric.Euclidean ? Math.Sqrt(d) : Math.Max(0.0, d);
}
