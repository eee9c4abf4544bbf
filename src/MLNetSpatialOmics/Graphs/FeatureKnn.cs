using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// k-nearest neighbours of feature rows (one row per spot) under Euclidean, cosine or correlation distance.
/// <para>
/// Exact search returns, for each row i, the k rows j ≠ i smallest in (distance, j) order — ties go to the lower
/// index, as in <see cref="SpatialKnn"/>. Rows whose distance is undefined (cosine: zero vector; correlation:
/// constant row) are never neighbours and get empty slots (index −1, distance +∞); so does any row when fewer
/// than k defined neighbours exist. Approximate search (NN-descent) is deterministic for a given seed and
/// independent of the thread count; its recall is measured by the <c>graphs-ann-recall</c> benchmark.
/// </para>
/// </summary>
public static class FeatureKnn
{
    public static NeighborList Compute(DenseMatrix features, int k, FeatureMetric metric = FeatureMetric.Correlation,
        KnnAlgorithm algorithm = KnnAlgorithm.Auto, int seed = 0)
        => Compute(features, new FeatureKnnOptions { K = k, Metric = metric, Algorithm = algorithm, Seed = seed });

    public static NeighborList Compute(DenseMatrix features, FeatureKnnOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = features.Rows, k = options.K;
        if (k >= n)
            throw new ArgumentOutOfRangeException(nameof(options), k,
                $"K = {k} needs at least K + 1 = {k + 1} rows (a row is not its own neighbour), but the feature matrix has {n}.");
        var prepared = new PreparedFeatures(features, options.Metric);
        bool exact = options.Algorithm switch
        {
            KnnAlgorithm.Exact => true,
            KnnAlgorithm.Approximate => false,
            _ => n <= options.ExactThreshold,
        };
        return exact
            ? ExactFeatureKnn.Search(prepared, k, options.MaxDegreeOfParallelism)
            : NNDescent.Search(prepared, options);
    }

    /// <summary>
    /// Mean fraction of each row's exact neighbours that <paramref name="approximate"/> found (recall@k); rows
    /// whose exact list is empty are skipped.
    /// </summary>
    public static double Recall(NeighborList approximate, NeighborList exact)
    {
        ArgumentNullException.ThrowIfNull(approximate);
        ArgumentNullException.ThrowIfNull(exact);
        if (approximate.Count != exact.Count || approximate.K != exact.K)
            throw new ArgumentException($"lists differ in shape: {approximate.Count}×{approximate.K} vs {exact.Count}×{exact.K}.");
        double sum = 0;
        int rows = 0;
        var set = new HashSet<int>();
        for (int i = 0; i < exact.Count; i++)
        {
            set.Clear();
            foreach (int j in exact.NeighborsOf(i)) if (j != NeighborList.Missing) set.Add(j);
            if (set.Count == 0) continue;
            int hit = 0;
            foreach (int j in approximate.NeighborsOf(i)) if (set.Contains(j)) hit++;
            sum += (double)hit / set.Count;
            rows++;
        }
        return rows == 0 ? 1.0 : sum / rows;
    }
}
