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

    /// <summary>c += Σ_p a[p]·B[p, :] for row-major B with <paramref name="width"/> columns (one row of A·B).
    /// Written out without per-element calls: this loop is the whole cost of dense randomized SVD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateRowTimesMatrix(ReadOnlySpan<double> a, double[] b, int width, Span<double> c)
    {
        int vc = Vector<double>.Count;
        int vecWidth = Vector.IsHardwareAccelerated ? width / vc * vc : 0;
        var cv = MemoryMarshal.Cast<double, Vector<double>>(c[..vecWidth]);
        for (int p = 0; p < a.Length; p++)
        {
            double ap = a[p];
            if (ap == 0) continue;
            var row = b.AsSpan(p * width, width);
            var bv = MemoryMarshal.Cast<double, Vector<double>>(row[..vecWidth]);
            var av = new Vector<double>(ap);
            for (int v = 0; v < cv.Length; v++) cv[v] += av * bv[v];
            for (int t = vecWidth; t < width; t++) c[t] += ap * row[t];
        }
    }

    /// <summary>acc[j, :] += a[j]·b for every j (acc row-major with b.Length columns): one row's share of Aᵀ·B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateOuter(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double[] acc)
    {
        int width = b.Length, vc = Vector<double>.Count;
        int vecWidth = Vector.IsHardwareAccelerated ? width / vc * vc : 0;
        var bv = MemoryMarshal.Cast<double, Vector<double>>(b[..vecWidth]);
        for (int j = 0; j < a.Length; j++)
        {
            double aj = a[j];
            if (aj == 0) continue;
            var row = acc.AsSpan(j * width, width);
            var rv = MemoryMarshal.Cast<double, Vector<double>>(row[..vecWidth]);
            var av = new Vector<double>(aj);
            for (int v = 0; v < rv.Length; v++) rv[v] += av * bv[v];
            for (int t = vecWidth; t < width; t++) row[t] += aj * b[t];
        }
    }

    /// <summary>c += Σ_k values[k]·B[indices[k], :] (one sparse row of A times dense B).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateSparseRowTimesMatrix(ReadOnlySpan<int> indices, ReadOnlySpan<double> values, double[] b, int width, Span<double> c)
    {
        int vc = Vector<double>.Count;
        int vecWidth = Vector.IsHardwareAccelerated ? width / vc * vc : 0;
        var cv = MemoryMarshal.Cast<double, Vector<double>>(c[..vecWidth]);
        for (int k = 0; k < indices.Length; k++)
        {
            double ap = values[k];
            var row = b.AsSpan(indices[k] * width, width);
            var bv = MemoryMarshal.Cast<double, Vector<double>>(row[..vecWidth]);
            var av = new Vector<double>(ap);
            for (int v = 0; v < cv.Length; v++) cv[v] += av * bv[v];
            for (int t = vecWidth; t < width; t++) c[t] += ap * row[t];
        }
    }

    /// <summary>acc[indices[k], :] += values[k]·b (one sparse row's share of Aᵀ·B).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateSparseOuter(ReadOnlySpan<int> indices, ReadOnlySpan<double> values, ReadOnlySpan<double> b, double[] acc)
    {
        int width = b.Length, vc = Vector<double>.Count;
        int vecWidth = Vector.IsHardwareAccelerated ? width / vc * vc : 0;
        var bv = MemoryMarshal.Cast<double, Vector<double>>(b[..vecWidth]);
        for (int k = 0; k < indices.Length; k++)
        {
            double aj = values[k];
            var row = acc.AsSpan(indices[k] * width, width);
            var rv = MemoryMarshal.Cast<double, Vector<double>>(row[..vecWidth]);
            var av = new Vector<double>(aj);
            for (int v = 0; v < rv.Length; v++) rv[v] += av * bv[v];
            for (int t = vecWidth; t < width; t++) row[t] += aj * b[t];
        }
    }
}
