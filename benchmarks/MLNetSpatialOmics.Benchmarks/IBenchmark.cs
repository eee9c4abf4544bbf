namespace MLNetSpatialOmics.Benchmarks;

/// <summary>One measurement program. Implementations are discovered by reflection; add a class, not a switch case.</summary>
public interface IBenchmark
{
    /// <summary>Command-line name, e.g. <c>h5ad-read</c>.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>Runs the measurement, prints a table / figures, returns the process exit code.</summary>
    int Run(string[] args);
}
