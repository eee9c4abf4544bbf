using System.Diagnostics;
using MLNetSpatialOmics.Graphs;

namespace MLNetSpatialOmics.Benchmarks.Graphs;

/// <summary>Exact spatial kNN on uniformly random points (issue target: 1,000,000 points, k = 6, under 10 s).</summary>
public sealed class SpatialKnnBenchmark : IBenchmark
{
    public string Name => "graphs-spatial-knn";
    public string Description => "exact spatial kNN: random points in a square (also with 10 stray far-off spots), and a Visium-like lattice";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("points", "spots (default 1000000)"),
        BenchmarkOption.Positional("k", "neighbours (default 6)"),
    };

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int k = args.Length > 1 ? int.Parse(args[1]) : 6;
        var rng = new Random(42);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = rng.NextDouble() * 10000; y[i] = rng.NextDouble() * 10000; }
        Measure("uniform random", x, y, k);
        var (sx, sy) = ((double[])x.Clone(), (double[])y.Clone());
        for (int i = 0; i < 10; i++) { sx[i * 997] = 1e9 * (i + 1); sy[i * 997] = -1e9; }
        Measure("uniform + 10 stray spots 1e9 away", sx, sy, k);

        // Integer lattice with every other site used (Visium array layout): many exactly tied distances.
        int side = (int)Math.Ceiling(Math.Sqrt(2.0 * n));
        int m = 0;
        for (int r = 0; m < n; r++)
            for (int c = r % 2; c < side && m < n; c += 2) { x[m] = c; y[m] = r; m++; }
        Measure("Visium-like lattice", x, y, k);
        return 0;
    }

    private static void Measure(string what, double[] x, double[] y, int k)
    {
        SpatialKnn.Compute(x[..Math.Min(x.Length, 10000)], y[..Math.Min(y.Length, 10000)], k); // JIT warm-up
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var knn = SpatialKnn.Compute(x, y, k);
        sw.Stop();
        proc.Refresh();
        var cpu = proc.TotalProcessorTime - cpu0;
        Console.WriteLine($"spatial kNN {what}: N = {x.Length:N0}, k = {k}: {sw.Elapsed.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F2} s CPU on {Environment.ProcessorCount} cores, " +
                          $"peak RSS {PeakMemory.PeakMegabytes():F0} MB (first neighbour of spot 0: {knn.NeighborsOf(0)[0]})");
    }
}
