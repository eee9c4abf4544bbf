namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// A bounded list of the best candidates seen so far, kept sorted by (distance, index) ascending — the
/// deterministic tie rule of every kNN here: among equal distances the lower index wins. Empty slots are
/// (+∞, int.MaxValue), so they lose to any real candidate.
/// </summary>
internal static class TopK
{
    public static void Reset(Span<double> dist, Span<int> idx)
    {
        dist.Fill(double.PositiveInfinity);
        idx.Fill(int.MaxValue);
    }

    /// <summary>True when (d, j) ranks before (worstD, worstJ).</summary>
    public static bool Before(double d, int j, double worstD, int worstJ) => d < worstD || (d == worstD && j < worstJ);

    /// <summary>Inserts (d, j) when it beats the last slot; the caller guarantees j is not already present.</summary>
    public static bool TryInsert(Span<double> dist, Span<int> idx, double d, int j)
    {
        int last = dist.Length - 1;
        if (!Before(d, j, dist[last], idx[last])) return false;
        int p = last;
        while (p > 0 && Before(d, j, dist[p - 1], idx[p - 1]))
        {
            dist[p] = dist[p - 1];
            idx[p] = idx[p - 1];
            p--;
        }
        dist[p] = d;
        idx[p] = j;
        return true;
    }

    /// <summary>Turns internal empty slots into the public (−1, +∞) convention.</summary>
    public static void MarkMissing(Span<int> idx, Span<double> dist)
    {
        for (int p = 0; p < idx.Length; p++)
            if (idx[p] == int.MaxValue) { idx[p] = NeighborList.Missing; dist[p] = double.PositiveInfinity; }
    }
}
