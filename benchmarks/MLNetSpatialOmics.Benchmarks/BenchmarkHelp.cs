namespace MLNetSpatialOmics.Benchmarks;

/// <summary>"&lt;name&gt; --help": a benchmark's description and declared arguments, without running it.</summary>
internal static class BenchmarkHelp
{
    public static bool IsRequested(string[] args) => args.Any(a => a is "--help" or "-h");

    public static void Print(IBenchmark benchmark, TextWriter output)
    {
        var positionals = benchmark.Options.Where(o => o.IsPositional).ToList();
        var named = benchmark.Options.Where(o => !o.IsPositional).ToList();
        var usage = new List<string> { benchmark.Name };
        usage.AddRange(positionals.Select(o => $"[{o.Name}]"));
        if (named.Count > 0) usage.Add("[options]");

        output.WriteLine($"{benchmark.Name}: {benchmark.Description}");
        output.WriteLine();
        output.WriteLine("usage: " + string.Join(" ", usage));
        if (positionals.Count > 0) WriteSection(output, "arguments (in this order):", positionals);
        if (named.Count > 0) WriteSection(output, "options:", named);
        if (benchmark.Options.Count == 0) output.WriteLine("(no arguments)");
    }

    private static void WriteSection(TextWriter output, string title, IReadOnlyList<BenchmarkOption> options)
    {
        static string Left(BenchmarkOption o) => o.TakesValue ? $"{o.Name} {o.ValueName}" : o.Name;
        int width = options.Max(o => Left(o).Length);
        output.WriteLine();
        output.WriteLine(title);
        foreach (var o in options) output.WriteLine($"  {Left(o).PadRight(width)}  {o.Help}");
    }
}
