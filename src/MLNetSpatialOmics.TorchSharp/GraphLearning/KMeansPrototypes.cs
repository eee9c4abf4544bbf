using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Numerics;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Prototypes as CRCT's Figure 2 draws them: the k-means centroids of the embeddings (the library's k-means: k-means++
/// seeding, best of 10 restarts), L2-normalised like the mixture-based prototypes. Runs in double precision on the CPU;
/// the trainers pass at most 100,000 sampled rows (<c>PragaFitter.PrototypeSample</c>), so the copy is small next to an epoch.
/// </summary>
public static class KMeansPrototypes
{
    /// <param name="embeddings">N×d on any device.</param>
    /// <param name="generator">draws the k-means seed, so the result follows the trainer's seed.</param>
    /// <returns>K×d, unit rows, on the embeddings' device and in their dtype.</returns>
    public static Tensor Fit(Tensor embeddings, int count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var rows = embeddings.detach().to_type(ScalarType.Float64).contiguous().cpu();
        var x = new DenseMatrix((int)rows.shape[0], (int)rows.shape[1]);
        rows.data<double>().CopyTo(x.Data, 0);
        int seed = (int)randint(0, int.MaxValue, new long[] { 1 }, generator: generator, device: embeddings.device).item<long>();
        var model = KMeansClustering.Fit(x, count, seed);
        var centroids = tensor(model.Centroids.Data, new long[] { count, x.Cols }, dtype: ScalarType.Float64);
        return nn.functional.normalize(centroids, p: 2, dim: 1).to(embeddings.device).to_type(embeddings.dtype).MoveToOuterDisposeScope();
    }
}
