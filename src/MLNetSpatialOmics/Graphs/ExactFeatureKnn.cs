using MLNetSpatialOmics.Numerics;
namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Brute-force kNN in cache-sized blocks: a block of queries sweeps the candidates a block at a time, so each
/// candidate block is reused from cache by every query of the block. Query blocks run in parallel; every query
/// scans candidates in the same order with the same arithmetic, so the result does not depend on the thread count.
/// </summary>
internal static class ExactFeatureKnn
{
    private const int QueryBlock = 32;
    private const int CandidateBlock = 256;

    public static NeighborList Search(PreparedFeatures p, int k, int maxDegreeOfParallelism)
    {
        int n = p.Count;
        var indices = new int[(long)n * k];
        var distances = new double[(long)n * k];
        int blocks = (n + QueryBlock - 1) / QueryBlock;
        var po = Parallelism.Bounded(maxDegreeOfParallelism);
        Parallel.For(0, blocks, po, b =>
        {
            int q0 = b * QueryBlock, q1 = Math.Min(n, q0 + QueryBlock);
            for (int q = q0; q < q1; q++) TopK.Reset(distances.AsSpan(q * k, k), indices.AsSpan(q * k, k));
            for (int c0 = 0; c0 < n; c0 += CandidateBlock)
            {
                int c1 = Math.Min(n, c0 + CandidateBlock);
                for (int q = q0; q < q1; q++)
                {
                    if (!p.Valid[q]) continue;
                    var query = p.Row(q);
                    var dist = distances.AsSpan(q * k, k);
                    var idx = indices.AsSpan(q * k, k);
                    for (int j = c0; j < c1; j++)
                    {
                        if (j == q || !p.Valid[j]) continue;
                        double d = p.Distance(query, j);
                        if (d < dist[k - 1]) TopK.TryInsert(dist, idx, d, j);
                    }
                }
            }
            for (int q = q0; q < q1; q++)
            {
                var dist = distances.AsSpan(q * k, k);
                for (int s = 0; s < k; s++) dist[s] = p.ToReported(dist[s]);
                TopK.MarkMissing(indices.AsSpan(q * k, k), dist);
            }
        });
        return new NeighborList(n, k, indices, distances);
    }
}
