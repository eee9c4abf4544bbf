using MLNetSpatialOmics.Numerics;
namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Exact Euclidean k-nearest neighbours of 2-D spot coordinates on a uniform grid.
/// <para>
/// Tie rule: the k neighbours of spot i are the k spots j ≠ i smallest in (squared distance, j) lexicographic
/// order, so among equal distances the lower index wins. On Visium array coordinates (many exactly equal
/// distances) this is the same set as R spdep's <c>knearneigh(coords, k)</c> and the fixtures'
/// <c>tiebreak_by_index</c>; sklearn's kd-tree picks among ties arbitrarily.
/// </para>
/// <para>
/// Self is excluded by index, not by distance: duplicate coordinates are neighbours of each other at distance 0.
/// k must be smaller than the number of spots (k ≥ N is an error; so N = 1 always is).
/// </para>
/// </summary>
public static class SpatialKnn
{
    private const int QueriesPerTask = 2048;

    public static NeighborList Compute(IReadOnlyList<double> x, IReadOnlyList<double> y, int k, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"x has {x.Count} coordinates but y has {y.Count}.", nameof(y));
        int n = x.Count;
        Validate(n, k);
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = x[i];
            ys[i] = y[i];
            if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i]))
                throw new ArgumentException($"spot {i} has a non-finite coordinate ({xs[i]}, {ys[i]}); spatial kNN needs finite x and y.");
        }

        var grid = new PointGrid(xs, ys);
        var indices = new int[(long)n * k];
        var distances = new double[(long)n * k];
        int tasks = (n + QueriesPerTask - 1) / QueriesPerTask;
        var po = Parallelism.Bounded(maxDegreeOfParallelism);
        Parallel.For(0, tasks, po, () => new double[k], (t, _, d2) =>
        {
            var idxBuf = new int[k];
            int end = Math.Min(n, (t + 1) * QueriesPerTask);
            // Queries in grid order keep neighbouring cells hot in cache.
            for (int s = t * QueriesPerTask; s < end; s++)
            {
                int i = grid.Order[s];
                grid.Query(s, d2, idxBuf);
                var outIdx = indices.AsSpan(i * k, k);
                var outDist = distances.AsSpan(i * k, k);
                for (int p = 0; p < k; p++)
                {
                    outIdx[p] = idxBuf[p];
                    outDist[p] = Math.Sqrt(d2[p]);
                }
            }
            return d2;
        }, _ => { });
        return new NeighborList(n, k, indices, distances);
    }

    private static void Validate(int n, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "spatial kNN needs k ≥ 1.");
        if (k >= n)
            throw new ArgumentOutOfRangeException(nameof(k), k,
                $"k = {k} needs at least k + 1 = {k + 1} spots (a spot is not its own neighbour), but there are {n}.");
    }
}
