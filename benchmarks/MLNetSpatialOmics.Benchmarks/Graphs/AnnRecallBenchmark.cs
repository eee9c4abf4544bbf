using System.Diagnostics;
using MLNetSpatialOmics.Graphs;

namespace MLNetSpatialOmics.Benchmarks.Graphs;

/// <summary>Recall@k of the approximate (NN-descent) feature kNN against exact search (issue target: ≥ 0.95 at 20k × 30, k = 20).</summary>
public sealed class AnnRecallBenchmark : IBenchmark
{
    public string Name => "graphs-ann-recall";
    public string Description => "approximate vs exact feature kNN: recall@k per feature shape and metric (20,000 × 30, k = 20 by default)";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("points", "rows (default 20000)"),
        BenchmarkOption.Positional("dims", "columns (default 30)"),
        BenchmarkOption.Positional("k", "neighbours (default 20)"),
        BenchmarkOption.Positional("list-size", "NN-descent list size, 0 or >= k (default 0: automatic)"),
        BenchmarkOption.Positional("max-candidates", "NN-descent candidates per point (default 0: automatic)"),
        BenchmarkOption.Positional("shapes", "comma-separated; anything but gaussian means clustered (default clustered,gaussian)"),
        BenchmarkOption.Positional("metrics", "comma-separated, case-sensitive (default Correlation,Euclidean,Cosine)"),
    };

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        int d = args.Length > 1 ? int.Parse(args[1]) : 30;
        int k = args.Length > 2 ? int.Parse(args[2]) : 20;
        int listSize = args.Length > 3 ? int.Parse(args[3]) : 0;
        int maxCand = args.Length > 4 ? int.Parse(args[4]) : 0;
        var shapes = args.Length > 5 ? args[5].Split(',') : new[] { "clustered", "gaussian" };
        var metrics = args.Length > 6 ? args[6].Split(',').Select(Enum.Parse<FeatureMetric>).ToArray()
            : new[] { FeatureMetric.Correlation, FeatureMetric.Euclidean, FeatureMetric.Cosine };
        int failures = 0;
        foreach (var shape in shapes)
        {
            var data = shape == "gaussian" ? FeatureData.Gaussian(n, d, 2) : FeatureData.Clustered(n, d, 1);
            foreach (var metric in metrics)
            {
                var proc = Process.GetCurrentProcess();
                var cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var exact = FeatureKnn.Compute(data, new FeatureKnnOptions { K = k, Metric = metric, Algorithm = KnnAlgorithm.Exact });
                double tExact = sw.Elapsed.TotalSeconds;
                proc.Refresh();
                var cpu1 = proc.TotalProcessorTime;
                sw.Restart();
                var approx = FeatureKnn.Compute(data, new FeatureKnnOptions { K = k, Metric = metric, Algorithm = KnnAlgorithm.Approximate, Seed = 7, ListSize = listSize, MaxCandidates = maxCand });
                double tApprox = sw.Elapsed.TotalSeconds;
                proc.Refresh();
                var cpu2 = proc.TotalProcessorTime;
                double recall = FeatureKnn.Recall(approx, exact);
                if (recall < 0.95) failures++;
                Console.WriteLine($"{shape,-9} {metric,-11} N = {n:N0}, d = {d}, k = {k}: exact {tExact:F1} s ({(cpu1 - cpu0).TotalSeconds:F1} s CPU), NN-descent {tApprox:F1} s ({(cpu2 - cpu1).TotalSeconds:F1} s CPU), " +
                                  $"recall@{k} = {recall:F4}{(recall < 0.95 ? "  (below 0.95)" : "")}");
            }
        }
        Console.WriteLine($"peak RSS {PeakMemory.PeakMegabytes():F0} MB");
        return failures == 0 ? 0 : 1;
    }
}
