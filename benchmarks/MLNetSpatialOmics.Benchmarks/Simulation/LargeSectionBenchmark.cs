using System.Diagnostics;
using System.Globalization;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Benchmarks.Simulation;

/// <summary>
/// Time and memory of the tiled ggblocks generator. Usage: <c>simulate-large [counts|reduced] [N ...]</c>
/// (default: counts at 10k and 100k spots, RNA 1000 + ADT 100 features; reduced 2×50 dims at 10k, 100k, 1M).
/// Peak RSS is cumulative over the process, so run one mode/size per process for clean memory figures.
/// </summary>
public sealed class LargeSectionBenchmark : IBenchmark
{
    public string Name => "simulate-large";
    public string Description => "tiled ggblocks generator: seconds and peak memory at 10k-1M spots";

    // Any order, any number: each word is a mode, each positive integer a size (Run rejects anything else).
    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("counts|reduced", "feature mode(s) to generate (default both)"),
        BenchmarkOption.Positional("N...", "spot counts (default counts: 10000 100000; reduced: 10000 100000 1000000)"),
    };

    public int Run(string[] args)
    {
        var modes = new List<LargeSectionFeatures>();
        var sizes = new List<int>();
        foreach (var a in args)
        {
            if (int.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0) sizes.Add(n);
            else if (a.Equals("counts", StringComparison.OrdinalIgnoreCase)) modes.Add(LargeSectionFeatures.Counts);
            else if (a.Equals("reduced", StringComparison.OrdinalIgnoreCase)) modes.Add(LargeSectionFeatures.Reduced);
            else { Console.Error.WriteLine($"simulate-large: unknown argument '{a}' (expected counts, reduced or a spot count)"); return 2; }
        }
        if (modes.Count == 0) modes.AddRange(new[] { LargeSectionFeatures.Counts, LargeSectionFeatures.Reduced });
        Console.WriteLine($"{"features",-8} {"spots",10} {"seconds",8} {"stored values",14} {"peak MB",8}");
        foreach (var mode in modes)
        {
            var ns = sizes.Count > 0 ? sizes : mode == LargeSectionFeatures.Counts ? new List<int> { 10_000, 100_000 } : new List<int> { 10_000, 100_000, 1_000_000 };
            foreach (int n in ns)
            {
                var sw = Stopwatch.StartNew();
                var sim = LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = n, Features = mode });
                sw.Stop();
                long stored = sim.Section.Modalities.Sum(m => m.Sparse?.NonZeroCount ?? (long)m.Dense!.Data.Length);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{mode,-8} {n,10} {sw.Elapsed.TotalSeconds,8:F2} {stored,14} {PeakMemory.PeakMegabytes(),8:F0}"));
                GC.KeepAlive(sim);
            }
        }
        return 0;
    }
}
