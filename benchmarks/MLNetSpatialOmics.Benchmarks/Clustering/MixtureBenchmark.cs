using System.Diagnostics;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Benchmarks.Clustering;

/// <summary>
/// mclust-style EEE fit at scale: N points in d dimensions from K Gaussian blobs; hierarchical initialisation on a
/// 2000-row subset, EM over all N. Prints the time of each phase and the peak memory.
/// </summary>
public sealed class MixtureBenchmark : IBenchmark
{
    public string Name => "mixture";
    public string Description => "mclust-style EEE mixture on N synthetic points (default 200,000 × 20, K = 10)";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("N", "points (default 200000)"),
        BenchmarkOption.Positional("d", "dimensions (default 20)"),
        BenchmarkOption.Positional("K", "Gaussian blobs generated and mixture components fitted (default 10)"),
    };

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        int d = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        int k = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var rng = new Random(11);
        var centres = new double[k, d];
        for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) centres[c, j] = 4 * (rng.NextDouble() - 0.5) * 3;
        var x = new DenseMatrix(n, d);
        var truth = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = rng.Next(k);
            truth[i] = c;
            for (int j = 0; j < d; j++)
            {
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                x[i, j] = centres[c, j] + Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }
        var sw = Stopwatch.StartNew();
        var fit = MclustFitter.Fit(x, k, MixtureModelName.EEE);
        double total = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var labels = fit.Predict(x);
        double predict = sw.Elapsed.TotalSeconds;
        double ari = MLNetSpatialOmics.Evaluation.SpatialClusteringEvaluator.Evaluate(truth, labels).AdjustedRandIndex;
        Console.WriteLine($"N {n:N0}, d {d}, K {k}: fit {total:F2} s ({fit.Iterations} EM iterations, {total / Math.Max(fit.Iterations, 1):F3} s per iteration incl. init share), predict {predict:F2} s");
        Console.WriteLine($"loglik {fit.LogLikelihood:F1}, BIC {fit.Bic:F1}, ARI vs generating blobs {ari:F4}, peak RSS {PeakMemory.PeakMegabytes():F0} MB");
        return 0;
    }
}
