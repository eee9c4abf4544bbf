namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Global Moran's I with row-standardised neighbour weights (w_ij = 1/|N(i)| for j in N(i)), the convention of
/// spdep's <c>nb2listw(style = "W")</c>: I = (N/S0)·Σ_i z_i·mean_{j∈N(i)} z_j / Σ_i z_i², z = x − mean(x), S0 = the
/// number of spots that have neighbours. Neighbour lists are taken as given (not symmetrised); build them with a
/// spatial kNN graph.
/// </summary>
public static class MoransI
{
    /// <summary>Moran's I of <paramref name="values"/>; <paramref name="neighbours"/>[i] lists the neighbours of spot i.</summary>
    public static double Compute(ReadOnlySpan<double> values, IReadOnlyList<int[]> neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        int n = values.Length;
        if (neighbours.Count != n)
            throw new ArgumentException($"{neighbours.Count} neighbour lists for {n} values; one list per spot is expected.", nameof(neighbours));
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= n;
        double num = 0, den = 0;
        int withNeighbours = 0;
        for (int i = 0; i < n; i++)
        {
            double zi = values[i] - mean;
            den += zi * zi;
            var nb = neighbours[i] ?? throw new ArgumentException($"neighbour list {i} is null.", nameof(neighbours));
            if (nb.Length == 0) continue;
            withNeighbours++;
            double lag = 0;
            foreach (var j in nb)
            {
                if ((uint)j >= (uint)n || j == i)
                    throw new ArgumentException($"spot {i} lists neighbour {j}; neighbours must be other spots in 0..{n - 1}.", nameof(neighbours));
                lag += values[j] - mean;
            }
            num += zi * (lag / nb.Length);
        }
        if (den == 0) return double.NaN; // constant values: I is undefined
        return (double)n / withNeighbours * num / den;
    }

    /// <summary>Moran's I with a fixed-k neighbour matrix stored row-major (row i = neighbours of spot i).</summary>
    public static double Compute(ReadOnlySpan<double> values, int[] neighboursRowMajor, int k) =>
        Compute(values, Split(neighboursRowMajor, k, values.Length));

    internal static int[][] Split(int[] rowMajor, int k, int n)
    {
        ArgumentNullException.ThrowIfNull(rowMajor);
        if (k <= 0 || rowMajor.Length != (long)n * k)
            throw new ArgumentException($"a row-major neighbour matrix of {n} spots × k = {k} needs {(long)n * k} entries, got {rowMajor.Length}.");
        var result = new int[n][];
        for (int i = 0; i < n; i++) result[i] = rowMajor.AsSpan(i * k, k).ToArray();
        return result;
    }
}
