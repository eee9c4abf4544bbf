namespace MLNetSpatialOmics.Benchmarks;

/// <summary>One measurement program. Implementations are discovered by reflection; add a class, not a switch case.</summary>
public interface IBenchmark
{
    /// <summary>Command-line name, e.g. <c>h5ad-read</c>.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>
    /// Every argument <see cref="Run"/> reads, and nothing else: the runner rejects undeclared options before
    /// <see cref="Run"/> so that a mistyped flag fails instead of silently running with the default.
    /// </summary>
    IReadOnlyList<BenchmarkOption> Options { get; }
    /// <summary>Runs the measurement, prints a table / figures, returns the process exit code.</summary>
    int Run(string[] args);
}
