using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// A float copy of some prepared rows for the approximate search: it only ranks candidates, and half the bytes per
/// row means twice the SIMD lanes and half the cache misses on its random accesses. Reported distances are
/// recomputed in double from <see cref="PreparedFeatures"/>.
/// </summary>
internal sealed class SinglePrecisionRows
{
    public int Count { get; }
    public int Stride { get; }
    private readonly bool _euclidean;
    private readonly float[] _data;

    public SinglePrecisionRows(PreparedFeatures p, int[] rows)
    {
        int w = Vector<float>.Count;
        Stride = (p.Stride + w - 1) / w * w;
        Count = rows.Length;
        _euclidean = p.Metric == FeatureMetric.Euclidean;
        _data = new float[(long)rows.Length * Stride];
        for (int r = 0; r < rows.Length; r++)
        {
            var src = p.Row(rows[r]);
            var dst = _data.AsSpan(r * Stride, Stride);
            for (int j = 0; j < src.Length; j++) dst[j] = (float)src[j];
        }
    }

    public ReadOnlySpan<float> Row(int i) => new(_data, i * Stride, Stride);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Distance(int i, int j)
    {
        var a = MemoryMarshal.Cast<float, Vector<float>>(Row(i));
        var b = MemoryMarshal.Cast<float, Vector<float>>(Row(j));
        var acc = Vector<float>.Zero;
        if (_euclidean)
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
}
