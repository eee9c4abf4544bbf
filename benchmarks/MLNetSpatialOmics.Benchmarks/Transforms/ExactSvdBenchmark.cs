using System.Diagnostics;
using System.Globalization;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Benchmarks.Transforms;

/// <summary>Exact leading SVD (Gram + tridiagonal eigen-solver) of a random dense matrix, as PCA/LSI use below the
/// exact-work limit. Prints wall and CPU seconds per phase. Arguments: <see cref="Options"/>.</summary>
public sealed class ExactSvdBenchmark : IBenchmark
{
    public string Name => "svd-exact";
    public string Description => "exact thin SVD (default 1296 × 1000, k = 101: the triplet LSI size)";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("rows", "rows of the random matrix (default 1296)"),
        BenchmarkOption.Positional("cols", "columns (default 1000)"),
        BenchmarkOption.Positional("k", "leading singular triplets (default 101)"),
    };

    public int Run(string[] args)
    {
        int m = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1296;
        int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        int k = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 101;
        var rng = new Random(1);
        var a = new DenseMatrix(m, n);
        for (long i = 0; i < a.Data.LongLength; i++) a.Data[i] = rng.NextDouble();
        var proc = Process.GetCurrentProcess();
        void Phase(string name, Action action)
        {
            var cpu = proc.TotalProcessorTime; var sw = Stopwatch.StartNew();
            action();
            proc.Refresh();
            Console.WriteLine($"| {name} | {sw.Elapsed.TotalSeconds:F2} | {(proc.TotalProcessorTime - cpu).TotalSeconds:F2} |");
        }
        Console.WriteLine($"{m} × {n}, k = {k}");
        Console.WriteLine("| phase | wall s | CPU s |");
        Console.WriteLine("|---|---:|---:|");
        DenseMatrix g = null!;
        Phase("Gram AᵀA", () => g = MatrixOps.Gram(a));
        Phase($"top-{k} eigenpairs", () => SymmetricEigen.Largest(g, k));
        Phase("whole ThinSvd", () => ThinSvd.Compute(a, k));
        return 0;
    }
}
