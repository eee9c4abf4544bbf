namespace MLNetSpatialOmics.Evaluation;

/// <summary>Spatial coherence of a partition on a neighbour graph.</summary>
/// <param name="NeighbourAgreement">Fraction of neighbour links (i → j, both labelled) whose two spots share the predicted label.</param>
/// <param name="MeanClusterMoranI">Mean over predicted clusters of Moran's I of the cluster's 0/1 indicator (1 = contiguous domains, ≈0 = salt and pepper).</param>
/// <param name="ClusterMoranI">Moran's I of each predicted cluster's indicator, in predicted-label order (NaN for a cluster covering every spot).</param>
public sealed record SpatialCoherence(double NeighbourAgreement, double MeanClusterMoranI, IReadOnlyList<double> ClusterMoranI)
{
    /// <summary>
    /// Coherence of <paramref name="codes"/> (dense cluster codes, -1 = no label; such spots and links to them are left
    /// out) on <paramref name="neighbours"/>. One pass over the links: with p_k the share of cluster k among the m
    /// labelled spots, f_ik the share of i's neighbours in k and S the spots that have neighbours, the indicator's
    /// Moran numerator Σ_i (δ_ik − p_k)(f_ik − p_k) expands to A_k − p_k·B_k − p_k·C_k + p_k²·|S| with
    /// A_k = Σ_{i∈S, l_i=k} f_ik, B_k = Σ_{i∈S} f_ik, C_k = |{i∈S: l_i=k}|, and the denominator is n_k(1 − p_k).
    /// </summary>
    internal static SpatialCoherence Compute(int[] codes, int clusterCount, IReadOnlyList<int[]> neighbours)
    {
        int n = codes.Length;
        if (neighbours.Count != n)
            throw new ArgumentException($"{neighbours.Count} neighbour lists for {n} spots; one list per spot is expected.", nameof(neighbours));
        var a = new double[clusterCount];
        var b = new double[clusterCount];
        var cS = new long[clusterCount];
        var size = new long[clusterCount];
        long m = 0, s = 0, links = 0, agree = 0;
        for (int i = 0; i < n; i++)
        {
            int li = codes[i];
            if (li < 0) continue;
            m++;
            size[li]++;
            var list = neighbours[i] ?? throw new ArgumentException($"neighbour list {i} is null.", nameof(neighbours));
            int degree = 0, same = 0;
            foreach (var j in list)
            {
                if ((uint)j >= (uint)n || j == i)
                    throw new ArgumentException($"spot {i} lists neighbour {j}; neighbours must be other spots in 0..{n - 1}.", nameof(neighbours));
                if (codes[j] < 0) continue;
                degree++;
                if (codes[j] == li) same++;
            }
            if (degree == 0) continue;
            s++;
            cS[li]++;
            links += degree;
            agree += same;
            double w = 1.0 / degree;
            foreach (var j in list)
                if (codes[j] >= 0) b[codes[j]] += w;
            a[li] += same * w;
        }
        var perCluster = new double[clusterCount];
        for (int k = 0; k < clusterCount; k++)
        {
            double p = (double)size[k] / m;
            double den = size[k] * (1 - p);
            double num = a[k] - p * b[k] - p * cS[k] + p * p * s;
            perCluster[k] = den == 0 || s == 0 ? double.NaN : (double)m / s * num / den;
        }
        var defined = perCluster.Where(double.IsFinite).ToArray();
        return new SpatialCoherence(
            links == 0 ? double.NaN : (double)agree / links,
            defined.Length == 0 ? double.NaN : defined.Average(),
            perCluster);
    }
}
