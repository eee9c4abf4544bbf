using MLNetSpatialOmics.Numerics;
namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// Row loops split into fixed chunks whose partial results are combined in chunk order, so results do not depend on
/// thread scheduling (same input → same bits). Small inputs run on one thread.
/// </summary>
internal static class ParallelRows
{
    private const int ChunkRows = 8192;

    private static int ChunkCount(int n) => Math.Max(1, (n + ChunkRows - 1) / ChunkRows);

    public static double Sum(int n, Func<int, int, double> body)
    {
        int chunks = ChunkCount(n);
        if (chunks == 1) return body(0, n);
        var partial = new double[chunks];
        Parallel.For(0, chunks, Parallelism.Options, c => partial[c] = body(c * ChunkRows, Math.Min(n, (c + 1) * ChunkRows)));
        double s = 0;
        foreach (var p in partial) s += p;
        return s;
    }

    public static double[] SumArrays(int n, int length, Action<int, int, double[]> body)
    {
        int chunks = ChunkCount(n);
        if (chunks == 1)
        {
            var acc = new double[length];
            body(0, n, acc);
            return acc;
        }
        var partial = new double[chunks][];
        Parallel.For(0, chunks, Parallelism.Options, c =>
        {
            var acc = new double[length];
            body(c * ChunkRows, Math.Min(n, (c + 1) * ChunkRows), acc);
            partial[c] = acc;
        });
        var total = new double[length];
        foreach (var p in partial) for (int t = 0; t < length; t++) total[t] += p[t];
        return total;
    }

    public static void For(int n, Action<int, int> body)
    {
        int chunks = ChunkCount(n);
        if (chunks == 1) { body(0, n); return; }
        Parallel.For(0, chunks, Parallelism.Options, c => body(c * ChunkRows, Math.Min(n, (c + 1) * ChunkRows)));
    }
}
