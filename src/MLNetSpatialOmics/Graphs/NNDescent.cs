using MLNetSpatialOmics.Numerics;
namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Approximate kNN by NN-descent (Dong, Charikar &amp; Li 2011: "a neighbour of a neighbour is likely a
/// neighbour"), started from a random-projection forest. Written in "pull" form for determinism: in every round
/// each point updates only its own list, from candidate lists fixed at the start of the round, so the output is a
/// function of the seed and not of thread scheduling. Memory O(N·k).
/// </summary>
internal sealed class NNDescent
{
    private readonly PreparedFeatures _p;  // all rows (double), for the reported distances
    private readonly SinglePrecisionRows _rows;  // the searchable rows only, addressed by local id, for ranking
    private readonly int[] _points;      // local id -> original row (valid rows, ascending)
    private readonly int _n, _k, _maxCand, _seed;
    private readonly ParallelOptions _po;
    // Current lists over local ids 0.._n−1, sorted by (distance, id); flags mark entries not yet explored.
    private readonly double[] _dist;
    private readonly int[] _idx;
    private readonly bool[] _isNew;

    private NNDescent(PreparedFeatures p, int[] points, int k, int maxCand, int seed, int maxDop)
    {
        _p = p;
        _rows = new SinglePrecisionRows(p, points);
        _points = points;
        _n = points.Length;
        _k = k;
        _maxCand = maxCand;
        _seed = seed;
        _po = Parallelism.Bounded(maxDop);
        _dist = new double[(long)_n * k];
        _idx = new int[(long)_n * k];
        _isNew = new bool[(long)_n * k];
        for (int i = 0; i < _n; i++) TopK.Reset(_dist.AsSpan(i * k, k), _idx.AsSpan(i * k, k));
    }

    public static NeighborList Search(PreparedFeatures p, FeatureKnnOptions o)
    {
        int k = o.K;
        var points = Enumerable.Range(0, p.Count).Where(i => p.Valid[i]).ToArray();
        var result = new NeighborList(p.Count, k, Enumerable.Repeat(NeighborList.Missing, p.Count * k).ToArray(),
            Enumerable.Repeat(double.PositiveInfinity, p.Count * k).ToArray());
        if (points.Length < 2) return result;
        // Lists 1.5× longer than k lift recall@20 on unstructured 30-d data from ~0.89 to ~0.97 (graphs-ann-recall).
        int kk = Math.Min(o.ListSize > 0 ? o.ListSize : k + (k + 1) / 2, points.Length - 1);
        int maxCand = o.MaxCandidates > 0 ? o.MaxCandidates : Math.Max(kk, 30);
        var nd = new NNDescent(p, points, kk, maxCand, o.Seed, o.MaxDegreeOfParallelism);
        int trees = o.Trees > 0 ? o.Trees : Math.Clamp(5 + (int)Math.Round(Math.Sqrt(points.Length) / 20), 5, 16);
        nd.InitialiseFromForest(trees, Math.Max(2 * kk, 24));
        nd.FillWithRandom();
        for (int round = 0; round < o.MaxIterations; round++)
        {
            long changes = nd.Round(round);
            if (changes <= o.Delta * kk * nd._n) break;
        }
        nd.WriteTo(result);
        return result;
    }

    private Span<double> DistOf(int i) => _dist.AsSpan(i * _k, _k);
    private Span<int> IdxOf(int i) => _idx.AsSpan(i * _k, _k);

    private double Distance(int a, int b) => _rows.Distance(a, b);

    private bool Contains(int i, int j) => IdxOf(i).Contains(j);

    private bool Push(int i, double d, int j)
    {
        var dist = DistOf(i);
        var idx = IdxOf(i);
        if (!TopK.Before(d, j, dist[_k - 1], idx[_k - 1])) return false;
        var flags = _isNew.AsSpan(i * _k, _k);
        // Shift flags with the entries they belong to.
        int pos = _k - 1;
        while (pos > 0 && TopK.Before(d, j, dist[pos - 1], idx[pos - 1])) pos--;
        for (int q = _k - 1; q > pos; q--) flags[q] = flags[q - 1];
        flags[pos] = true;
        TopK.TryInsert(dist, idx, d, j);
        return true;
    }

    private void InitialiseFromForest(int trees, int leafSize)
    {
        var local = Enumerable.Range(0, _n).ToArray();
        var forest = new (int[] Perm, List<(int Start, int End)> Leaves)[trees];
        Parallel.For(0, trees, _po, t => forest[t] = RandomProjectionForest.BuildTree(_rows, local, leafSize, _seed, t));
        foreach (var (perm, leaves) in forest)
        {
            // A point lies in exactly one leaf of a tree, so leaves update disjoint lists.
            Parallel.For(0, leaves.Count, _po, l =>
            {
                var (s, e) = leaves[l];
                for (int a = s; a < e; a++)
                    for (int b = a + 1; b < e; b++)
                    {
                        int i = perm[a], j = perm[b];
                        double d = Distance(i, j);
                        if (!Contains(i, j)) Push(i, d, j);
                        if (!Contains(j, i)) Push(j, d, i);
                    }
            });
        }
    }

    /// <summary>Tiny or degenerate leaves can leave slots empty; random points fill them.</summary>
    private void FillWithRandom()
    {
        Parallel.For(0, _n, _po, i =>
        {
            var rng = new SplitMix(_seed, 2_000_000, i);
            int guard = 0;
            while (IdxOf(i)[_k - 1] == int.MaxValue && guard++ < 64 * _k)
            {
                int j = rng.Below(_n);
                if (j != i && !Contains(i, j)) Push(i, Distance(i, j), j);
            }
            if (IdxOf(i)[_k - 1] == int.MaxValue)
                for (int j = 0; j < _n && IdxOf(i)[_k - 1] == int.MaxValue; j++)
                    if (j != i && !Contains(i, j)) Push(i, Distance(i, j), j);
        });
    }

    /// <summary>One round: sample candidates, build reverse lists, then let every point pull neighbours of neighbours.</summary>
    private long Round(int round)
    {
        var newF = new CandidateLists(_n, _maxCand);
        var oldF = new CandidateLists(_n, _maxCand);
        Parallel.For(0, _n, _po, i =>
        {
            var rng = new SplitMix(_seed, 3 * round + 10, i);
            var idx = IdxOf(i);
            var flags = _isNew.AsSpan(i * _k, _k);
            Span<int> slots = stackalloc int[_k];
            int m = 0;
            for (int s = 0; s < _k; s++) if (flags[s]) slots[m++] = s;
            // Sample up to maxCand of the unexplored entries; only the sampled ones become explored.
            for (int s = 0; s < m && s < _maxCand; s++)
            {
                int r = s + rng.Below(m - s);
                (slots[s], slots[r]) = (slots[r], slots[s]);
                newF.Add(i, idx[slots[s]]);
                flags[slots[s]] = false;
            }
            for (int s = 0; s < _k; s++)
                if (!flags[s] && !newF.Has(i, idx[s]) && oldF.Count(i) < _maxCand) oldF.Add(i, idx[s]);
        });
        var newR = newF.Reverse(_seed, 3 * round + 11);
        var oldR = oldF.Reverse(_seed, 3 * round + 12);

        long changes = 0;
        // Visit stamps are N ints per worker: pooled, because Parallel.For's per-task locals would allocate one
        // large array per task.
        var pool = new System.Collections.Concurrent.ConcurrentBag<int[]>();
        int chunks = (_n + JoinChunk - 1) / JoinChunk;
        Parallel.For(0, chunks, _po, chunk =>
        {
            if (!pool.TryTake(out var stamp)) stamp = new int[_n];
            long c = 0;
            int end = Math.Min(_n, (chunk + 1) * JoinChunk);
            for (int i = chunk * JoinChunk; i < end; i++) c += Join(i, stamp, newF, oldF, newR, oldR);
            pool.Add(stamp);
            Interlocked.Add(ref changes, c);
        });
        return changes;
    }

    private const int JoinChunk = 512;

    /// <summary>Point i pulls the neighbours of its sampled neighbours into its own list; returns how many got in.</summary>
    private long Join(int i, int[] stamp, CandidateLists newF, CandidateLists oldF, CandidateLists newR, CandidateLists oldR)
    {
        // Stamps are i + 1, unique per point, so the array needs no clearing between points.
        int token = i + 1;
        stamp[i] = token;
        foreach (int j in IdxOf(i)) if (j != int.MaxValue) stamp[j] = token;
        long c = 0;
        void Consider(int v)
        {
            if (stamp[v] == token) return;
            stamp[v] = token;
            if (Push(i, Distance(i, v), v)) c++;
        }
        void From(ReadOnlySpan<int> us, bool includeOld)
        {
            foreach (int u in us)
            {
                Consider(u);
                foreach (int v in newF.Of(u)) Consider(v);
                foreach (int v in newR.Of(u)) Consider(v);
                if (!includeOld) continue;
                foreach (int v in oldF.Of(u)) Consider(v);
                foreach (int v in oldR.Of(u)) Consider(v);
            }
        }
        From(newF.Of(i), includeOld: true);
        From(newR.Of(i), includeOld: true);
        From(oldF.Of(i), includeOld: false);
        From(oldR.Of(i), includeOld: false);
        return c;
    }

    /// <summary>Maps local ids back to rows, recomputes the kept distances in double and re-sorts by (distance, index).</summary>
    private void WriteTo(NeighborList result)
    {
        int k = result.K, keep = Math.Min(k, _k);
        Parallel.For(0, _n, _po, i =>
        {
            int row = _points[i];
            var idx = result.Indices.AsSpan(row * k, keep);
            var dist = result.Distances.AsSpan(row * k, keep);
            int m = 0;
            foreach (int j in IdxOf(i)[..keep])
            {
                if (j == int.MaxValue) continue;
                idx[m] = _points[j];
                dist[m] = _p.Distance(row, _points[j]);
                m++;
            }
            var d = dist[..m];
            var ix = idx[..m];
            // Insertion sort by (distance, index): m ≤ k is small and nearly sorted already.
            for (int a = 1; a < m; a++)
            {
                double dv = d[a]; int iv = ix[a]; int b = a;
                while (b > 0 && TopK.Before(dv, iv, d[b - 1], ix[b - 1])) { d[b] = d[b - 1]; ix[b] = ix[b - 1]; b--; }
                d[b] = dv; ix[b] = iv;
            }
            for (int s = 0; s < m; s++) d[s] = _p.ToReported(d[s]);
        });
    }
}
