using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Benchmarks.Graphs;

/// <summary>Synthetic feature matrices for the kNN benchmarks.</summary>
internal static class FeatureData
{
    /// <summary>Independent standard normal entries: no structure at all, the hardest case for approximate kNN.</summary>
    public static DenseMatrix Gaussian(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var m = new DenseMatrix(n, d);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = Normal(rng);
        return m;
    }

    /// <summary>
    /// A mixture of 15 clusters with a decaying spectrum (variance of dimension j ∝ 1/(1+j)), like PCA scores of a
    /// tissue section with a handful of cell types.
    /// </summary>
    public static DenseMatrix Clustered(int n, int d, int seed)
    {
        var rng = new Random(seed);
        const int clusters = 15;
        var centres = new double[clusters, d];
        for (int c = 0; c < clusters; c++)
            for (int j = 0; j < d; j++) centres[c, j] = 3 * Normal(rng) / Math.Sqrt(1 + j);
        var m = new DenseMatrix(n, d);
        for (int i = 0; i < n; i++)
        {
            int c = rng.Next(clusters);
            var row = m.Row(i);
            for (int j = 0; j < d; j++) row[j] = centres[c, j] + Normal(rng) / Math.Sqrt(1 + j);
        }
        return m;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
