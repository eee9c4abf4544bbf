using System.Diagnostics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Benchmarks.Scale;

/// <summary>
/// Throughput of the CPU propagation kernels (A·X and the edge gradient) on a block of rows whose neighbours are
/// spread uniformly over N spots — the access pattern of a mini-batch's feature graph at N spots.
/// </summary>
internal sealed class PropagationKernelBenchmark : IBenchmark
{
    public string Name => "csr-kernels";
    public string Description => "ns per edge of A·X and the edge gradient vs N (random neighbours; --prefetch D,...)";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--sizes", "LIST", "comma-separated spot counts N the neighbours are drawn from (default 100000,1000000)"),
        BenchmarkOption.Value("--prefetch", "LIST", "comma-separated prefetch distances to compare (default 0,16)"),
        BenchmarkOption.Value("--rows", "R", "rows in the block, at most N (default 262144)"),
        BenchmarkOption.Value("--degree", "D", "neighbours per row (default 35)"),
        BenchmarkOption.Value("--dim", "F", "feature columns of X (default 50)"),
        BenchmarkOption.Value("--reps", "N", "timed repeats; the median is reported (default 5)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default 2)"),
    };

    public int Run(string[] args)
    {
        var sizes = Arg(args, "--sizes", "100000,1000000").Split(',').Select(int.Parse).ToArray();
        var distances = Arg(args, "--prefetch", "0,16").Split(',').Select(int.Parse).ToArray();
        int rows = int.Parse(Arg(args, "--rows", "262144"));
        int degree = int.Parse(Arg(args, "--degree", "35"));
        int dim = int.Parse(Arg(args, "--dim", "50"));
        int reps = int.Parse(Arg(args, "--reps", "5"));
        set_num_threads(int.Parse(Arg(args, "--threads", "2")));
        Console.WriteLine($"{"N",9} {"prefetch",8} {"A·X ns/edge",12} {"grad ns/edge",13}");
        foreach (int n in sizes)
        {
            int r = Math.Min(rows, n);
            var rng = new Random(1);
            var rowPtr = new long[r + 1];
            var cols = new int[(long)r * degree];
            for (int i = 0; i < r; i++)
            {
                var row = new SortedSet<int>();
                while (row.Count < degree) row.Add(rng.Next(n));
                row.CopyTo(cols, i * degree);
                rowPtr[i + 1] = (long)(i + 1) * degree;
            }
            var structure = new CsrStructure(r, n, rowPtr, cols);
            using var x = randn(n, dim);
            using var values = rand(cols.LongLength);
            using var y = empty(r, dim);
            using var g = randn(r, dim);
            using var gradValues = empty(cols.LongLength);
            foreach (int distance in distances)
            {
                CsrKernels.PrefetchDistance = distance;
                double multiply = Median(reps, () => CsrKernels.Multiply(structure, values, x, y));
                double gradient = Median(reps, () => CsrKernels.EdgeGradient(structure, g, x, gradValues));
                Console.WriteLine($"{n,9} {distance,8} {multiply * 1e9 / cols.LongLength,12:F2} {gradient * 1e9 / cols.LongLength,13:F2}");
            }
        }
        return 0;
    }

    private static double Median(int reps, Action body)
    {
        body();
        var times = new double[reps];
        for (int k = 0; k < reps; k++)
        {
            var sw = Stopwatch.StartNew();
            body();
            times[k] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }
}
