using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// SIMD dot products and axpy on spans; the inner loops of every dense product here. Marked for full JIT
/// optimisation so that Debug builds (the test runs) are not several times slower in these loops.
/// </summary>
internal static class VectorOps
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count * 2)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            Vector<double> acc0 = Vector<double>.Zero, acc1 = Vector<double>.Zero;
            int v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                acc0 += va[v] * vb[v];
                acc1 += va[v + 1] * vb[v + 1];
            }
            for (; v < va.Length; v++) acc0 += va[v] * vb[v];
            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha · x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var va = new Vector<double>(alpha);
            for (int v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    public static void Scale(double alpha, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }
}
