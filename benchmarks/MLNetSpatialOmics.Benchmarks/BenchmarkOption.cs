namespace MLNetSpatialOmics.Benchmarks;

/// <summary>
/// One argument a benchmark reads. A name starting with "--" is an option: a flag when <paramref name="ValueName"/>
/// is null, otherwise it takes the next token as its value. Any other name is a positional argument (in declaration
/// order), listed for help only: positional values are parsed by the benchmark itself.
/// </summary>
/// <param name="Help">One line, including the default.</param>
public sealed record BenchmarkOption(string Name, string? ValueName, string Help)
{
    public static BenchmarkOption Flag(string name, string help) => new(name, null, help);
    public static BenchmarkOption Value(string name, string valueName, string help) => new(name, valueName, help);
    public static BenchmarkOption Positional(string name, string help) => new(name, null, help);

    public bool IsPositional => !Name.StartsWith("--", StringComparison.Ordinal);
    public bool TakesValue => ValueName is not null;
}
