using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Graphs;

/// <summary>How the entries of a graph built from a <see cref="NeighborList"/> are weighted.</summary>
public enum EdgeWeighting
{
    /// <summary>Every edge weighs 1 (PRAGA/SpatialGlue's <c>kneighbors_graph(mode='connectivity')</c>).</summary>
    Binary,
    /// <summary>The edge weighs the neighbour's distance (<c>mode='distance'</c>).</summary>
    Distance,
}

/// <summary>
/// Fixed-k neighbour lists: for each of <see cref="Count"/> points, <see cref="K"/> neighbour indices and their
/// distances, sorted by (distance, index) ascending. A point never lists itself. A slot with no neighbour
/// (a zero-variance row under the correlation/cosine metric has no defined distance to anyone) holds index −1 and
/// distance +∞; such slots come last and are skipped when the lists become a graph. Memory is O(N·k).
/// </summary>
public sealed class NeighborList
{
    public const int Missing = -1;

    /// <summary>Number of points (rows).</summary>
    public int Count { get; }
    /// <summary>Neighbours per point.</summary>
    public int K { get; }
    /// <summary>Row-major Count·K neighbour indices; <see cref="Missing"/> marks an empty slot.</summary>
    public int[] Indices { get; }
    /// <summary>Row-major Count·K distances in the metric's units (Euclidean: not squared); +∞ for an empty slot.</summary>
    public double[] Distances { get; }

    public NeighborList(int count, int k, int[] indices, double[] distances)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be non-negative.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "a neighbour list needs k ≥ 1.");
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(distances);
        long n = (long)count * k;
        if (indices.LongLength != n || distances.LongLength != n)
            throw new ArgumentException($"{count} points × k = {k} need {n} indices and distances; got {indices.LongLength} and {distances.LongLength}.");
        for (long p = 0; p < n; p++)
        {
            int j = indices[p];
            if (j != Missing && (uint)j >= (uint)count)
                throw new ArgumentException($"point {p / k} lists neighbour {j}, outside 0..{count - 1} (use {Missing} for an empty slot).", nameof(indices));
            if (j == p / k) throw new ArgumentException($"point {j} lists itself as a neighbour.", nameof(indices));
        }
        Count = count;
        K = k;
        Indices = indices;
        Distances = distances;
    }

    public ReadOnlySpan<int> NeighborsOf(int point) => Indices.AsSpan(point * K, K);
    public ReadOnlySpan<double> DistancesOf(int point) => Distances.AsSpan(point * K, K);

    /// <summary>
    /// The directed kNN graph: row i holds i's neighbours (not symmetric; see <see cref="GraphOps.Symmetrize"/>).
    /// Empty slots are skipped. With <see cref="EdgeWeighting.Distance"/>, a neighbour at distance 0 (a duplicate
    /// point) is still stored, as an explicit 0.
    /// </summary>
    public CsrMatrix ToCsr(EdgeWeighting weighting = EdgeWeighting.Binary)
    {
        var rowPtr = new long[Count + 1];
        for (int i = 0; i < Count; i++)
        {
            int valid = 0;
            foreach (int j in NeighborsOf(i)) if (j != Missing) valid++;
            rowPtr[i + 1] = rowPtr[i] + valid;
        }
        var cols = new int[rowPtr[Count]];
        var vals = new double[rowPtr[Count]];
        for (int i = 0; i < Count; i++)
        {
            var idx = NeighborsOf(i);
            var dist = DistancesOf(i);
            int start = (int)rowPtr[i], m = 0;
            for (int p = 0; p < K; p++)
            {
                if (idx[p] == Missing) continue;
                cols[start + m] = idx[p];
                vals[start + m] = weighting == EdgeWeighting.Binary ? 1.0 : dist[p];
                m++;
            }
            cols.AsSpan(start, m).Sort(vals.AsSpan(start, m));
        }
        return new CsrMatrix(Count, Count, rowPtr, cols, vals, validate: false);
    }
}
