using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

/// <summary>Small dense graphs and references for checking the sparse operators independently.</summary>
internal static class DenseGraphs
{
    /// <summary>
    /// A random symmetric adjacency with unit self-loops, as a dense float64 N×N tensor: 0/1, or with
    /// <paramref name="weighted"/> edge weights in [0.5, 2).
    /// </summary>
    public static Tensor RandomSymmetric(int n, double density, int seed, bool weighted = false)
    {
        var rng = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = 1;
            for (int j = i + 1; j < n; j++)
                if (rng.NextDouble() < density) a[i * n + j] = a[j * n + i] = weighted ? 0.5 + 1.5 * rng.NextDouble() : 1;
        }
        return tensor(a, new long[] { n, n });
    }

    /// <summary>D^-½ A D^-½ from row sums.</summary>
    public static Tensor Normalized(Tensor a)
    {
        var inv = a.sum(1).rsqrt();
        return inv.unsqueeze(1) * a * inv.unsqueeze(0);
    }

    /// <summary>The same matrix as a torch sparse COO tensor, multiplied by SpMM.</summary>
    public static Func<Tensor, Tensor> SparseOperator(Tensor dense)
    {
        var sparse = dense.to_sparse();
        return x => mm(sparse, x);
    }

    public static double MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().to_type(ScalarType.Float64).item<double>();
}
