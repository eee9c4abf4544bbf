using System.Diagnostics;
using MLNetSpatialOmics.Graphs;

namespace MLNetSpatialOmics.Benchmarks.Graphs;

/// <summary>Feature kNN at scale (issue target: 100,000 points, 30 dims, correlation, k = 20, under 60 s).</summary>
public sealed class FeatureKnnBenchmark : IBenchmark
{
    public string Name => "graphs-feature-knn";
    public string Description => "feature kNN, correlation, on synthetic features (100,000 × 30, k = 20 by default)";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("points", "rows (default 100000)"),
        BenchmarkOption.Positional("dims", "columns (default 30)"),
        BenchmarkOption.Positional("k", "neighbours (default 20)"),
        BenchmarkOption.Positional("auto|exact|approximate", "search algorithm (default auto)"),
        BenchmarkOption.Positional("max-candidates", "NN-descent candidates per point (default 0: automatic)"),
        BenchmarkOption.Positional("clustered|gaussian", "feature shape; anything but gaussian means clustered (default clustered)"),
    };

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 100_000;
        int d = args.Length > 1 ? int.Parse(args[1]) : 30;
        int k = args.Length > 2 ? int.Parse(args[2]) : 20;
        var algorithm = args.Length > 3 ? Enum.Parse<KnnAlgorithm>(args[3], ignoreCase: true) : KnnAlgorithm.Auto;
        int maxCandidates = args.Length > 4 ? int.Parse(args[4]) : 0;
        bool gaussian = args.Length > 5 && args[5].Equals("gaussian", StringComparison.OrdinalIgnoreCase);
        var data = gaussian ? FeatureData.Gaussian(n, d, 3) : FeatureData.Clustered(n, d, 3);
        double before = PeakMemory.PeakMegabytes();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var knn = FeatureKnn.Compute(data, new FeatureKnnOptions { K = k, Metric = FeatureMetric.Correlation, Algorithm = algorithm, Seed = 1, MaxCandidates = maxCandidates });
        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;   // a fresh Process object reads current figures
        Console.WriteLine($"feature kNN correlation ({algorithm}; exact up to {new FeatureKnnOptions().ExactThreshold:N0} points): N = {n:N0}, d = {d}, k = {k}: " +
                          $"{sw.Elapsed.TotalSeconds:F1} s wall, {cpu.TotalSeconds:F1} s CPU on {Environment.ProcessorCount} cores; peak RSS {PeakMemory.PeakMegabytes():F0} MB " +
                          $"(input alone {before:F0} MB; input {n * (double)d * 8 / 1e6:F0} MB, lists {n * (double)k * 12 / 1e6:F0} MB)");
        // A sample of rows checked exactly gives the recall of the run without an O(N²) reference.
        int sample = Math.Min(n, 200);
        var z = Standardise(data);
        var rng = new Random(9);
        double hit = 0;
        for (int s = 0; s < sample; s++)
        {
            int i = rng.Next(n);
            var truth = ExactRow(z, n, d, i, k);
            foreach (int j in knn.NeighborsOf(i)) if (truth.Contains(j)) hit++;
        }
        Console.WriteLine($"recall@{k} on {sample} random rows checked by brute force: {hit / (sample * k):F4}");
        return 0;
    }

    /// <summary>Rows centred and scaled to unit length: correlation distance = 1 − z_i·z_j.</summary>
    private static double[] Standardise(Numerics.DenseMatrix x)
    {
        var z = (double[])x.Data.Clone();
        for (int i = 0; i < x.Rows; i++)
        {
            var r = z.AsSpan(i * x.Cols, x.Cols);
            double m = 0; foreach (var v in r) m += v; m /= r.Length;
            double ss = 0;
            for (int j = 0; j < r.Length; j++) { r[j] -= m; ss += r[j] * r[j]; }
            for (int j = 0; j < r.Length; j++) r[j] /= Math.Sqrt(ss);
        }
        return z;
    }

    private static HashSet<int> ExactRow(double[] z, int n, int d, int i, int k)
    {
        var dist = new double[n];
        for (int j = 0; j < n; j++)
        {
            double dot = 0;
            for (int t = 0; t < d; t++) dot += z[i * d + t] * z[j * d + t];
            dist[j] = j == i ? double.PositiveInfinity : 1 - dot;
        }
        return Enumerable.Range(0, n).OrderBy(j => dist[j]).ThenBy(j => j).Take(k).ToHashSet();
    }
}
