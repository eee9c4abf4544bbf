using System.Diagnostics;
using MLNetSpatialOmics.Benchmarks;

// Usage: dotnet run --project benchmarks/MLNetSpatialOmics.Benchmarks -c Release -- <name> [args]; <name> --help lists its args.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("MLNetSpatialOmics benchmarks. Usage: <name> [args]; <name> --help lists a benchmark's arguments.\n");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-24} {b.Description}");
    return args.Length == 0 ? 2 : 0;
}

var chosen = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}
var benchmarkArgs = args[1..];
if (BenchmarkHelp.IsRequested(benchmarkArgs))
{
    BenchmarkHelp.Print(chosen, Console.Out);
    return 0;
}
if (BenchmarkArgsValidator.FindError(chosen, benchmarkArgs) is { } error)
{
    Console.Error.WriteLine(error);
    return 2;
}
var sw = Stopwatch.StartNew();
int rc = chosen.Run(benchmarkArgs);
Console.WriteLine($"[{chosen.Name}] total {sw.Elapsed.TotalSeconds:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MB");
return rc;
