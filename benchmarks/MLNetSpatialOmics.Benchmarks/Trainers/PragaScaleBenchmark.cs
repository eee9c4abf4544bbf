using System.Diagnostics;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.Praga;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Trainers;

/// <summary>
/// Seconds per epoch and peak memory of PRAGA at growing N (synthetic, 2 modalities × 50 dims, k = 3 / 20).
/// Arguments: <see cref="Options"/> (on a shared 2-core machine one torch thread avoids OpenMP spin-waiting that inflates
/// both wall and CPU seconds). Epochs include the prototype loss (it starts at epoch 1 here so
/// the split/merge seeding and the N×K loss are measured too); graph building and the final clustering are timed apart.
/// </summary>
public sealed class PragaScaleBenchmark : IBenchmark
{
    public string Name => "praga-scale";
    public string Description => "PRAGA seconds/epoch and peak memory at N = 1.3k, 10k, 100k (synthetic, 2 × 50 dims)";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--sizes", "LIST", "comma-separated spot counts (default 1300,10000,100000)"),
        BenchmarkOption.Value("--epochs", "N", "training epochs per size (default 5)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default 1)"),
    };

    public int Run(string[] args)
    {
        var sizes = Arg(args, "--sizes", "1300,10000,100000").Split(',').Select(int.Parse).ToArray();
        int epochs = int.Parse(Arg(args, "--epochs", "5"));
        global::TorchSharp.torch.set_num_threads(int.Parse(Arg(args, "--threads", "1")));
        // The build machine is shared: CPU seconds (this process, all threads) are reported next to wall seconds.
        Console.WriteLine($"{"N",8} {"fit s",8} {"s/epoch",8} {"cpu-s/epoch",12} {"200 ep (est) s",15} {"peak MB",8}");
        foreach (var n in sizes)
        {
            var (coords, mods) = Synthetic(n, 50, 8, seed: 7);
            var epochTimes = new List<double>();
            var epochCpu = new List<double>();
            var process = Process.GetCurrentProcess();
            var sw = Stopwatch.StartNew();
            var last = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var lastCpu = process.TotalProcessorTime.TotalSeconds;
            var options = new PragaOptions
            {
                ModalityColumns = new[] { "M1", "M2" }, Clusters = 8, Epochs = epochs, PrototypeStartEpoch = 1,
                PrototypeRefreshEvery = 50, Device = "cpu", Seed = 0,
                Progress = p =>
                {
                    var now = sw.Elapsed.TotalSeconds;
                    epochTimes.Add(now - last);
                    last = now;
                    process.Refresh();
                    var cpu = process.TotalProcessorTime.TotalSeconds;
                    epochCpu.Add(cpu - lastCpu);
                    lastCpu = cpu;
                },
            };
            var result = PragaFitter.Fit(coords, mods, options);
            double total = sw.Elapsed.TotalSeconds;
            // Steady-state epoch: median of the epochs after the first (the first includes graph building).
            var steady = epochTimes.Skip(1).OrderBy(t => t).ToArray();
            double perEpoch = steady.Length > 0 ? steady[steady.Length / 2] : epochTimes[0];
            double overhead = total - epochTimes.Sum() + epochTimes[0] - perEpoch;
            var steadyCpu = epochCpu.Skip(1).OrderBy(t => t).ToArray();
            double cpuPerEpoch = steadyCpu.Length > 0 ? steadyCpu[steadyCpu.Length / 2] : epochCpu[0];
            Console.WriteLine($"{n,8} {total,8:F1} {perEpoch,8:F3} {cpuPerEpoch,12:F3} {overhead + 200 * perEpoch,15:F0} {PeakMemory.PeakMegabytes(),8:F0}");
            result.Network.Dispose();
        }
        return 0;
    }

    /// <summary>Random spots in a square with 8 angular sectors as domains; features = domain mean + noise.</summary>
    internal static (DenseMatrix Coordinates, DenseMatrix[] Modalities) Synthetic(int n, int dims, int domains, int seed)
    {
        var rng = new Random(seed);
        var coords = new DenseMatrix(n, 2);
        var domain = new int[n];
        for (int i = 0; i < n; i++)
        {
            double x = rng.NextDouble() * 2 - 1, y = rng.NextDouble() * 2 - 1;
            coords[i, 0] = x; coords[i, 1] = y;
            domain[i] = (int)((Math.Atan2(y, x) + Math.PI) / (2 * Math.PI) * domains) % domains;
        }
        var mods = new DenseMatrix[2];
        for (int m = 0; m < 2; m++)
        {
            var centres = new double[domains * dims];
            for (int j = 0; j < centres.Length; j++) centres[j] = rng.NextDouble() * 2 - 1;
            var x = new DenseMatrix(n, dims);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < dims; j++)
                    x[i, j] = centres[domain[i] * dims + j] + (rng.NextDouble() - 0.5) * 2;
            mods[m] = x;
        }
        return (coords, mods);
    }
}
