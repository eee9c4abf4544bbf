using System.Globalization;

namespace MLNetSpatialOmics.Benchmarks;

/// <summary>
/// Checks a benchmark's arguments against its declared <see cref="IBenchmark.Options"/> before it runs: the
/// benchmarks look options up by name, so a mistyped or unsupported one would otherwise be skipped without a word
/// and a long run would measure the defaults.
/// </summary>
internal static class BenchmarkArgsValidator
{
    /// <summary>Null when <paramref name="args"/> are acceptable, else the message for stderr.</summary>
    public static string? FindError(IBenchmark benchmark, string[] args)
    {
        var named = benchmark.Options.Where(o => !o.IsPositional).ToDictionary(o => o.Name, StringComparer.Ordinal);
        bool takesPositionals = benchmark.Options.Any(o => o.IsPositional);
        for (int i = 0; i < args.Length; i++)
        {
            string token = args[i];
            if (!LooksLikeOption(token))
            {
                // A stray word (e.g. "--split-merge true") would be ignored just like an unknown option.
                if (!takesPositionals) return $"unexpected argument '{token}' for {benchmark.Name}; it takes options only, known: {Known(benchmark)}";
                continue;
            }
            if (!named.TryGetValue(token, out var option))
                return $"unknown option '{token}' for {benchmark.Name}; known: {Known(benchmark)}";
            if (!option.TakesValue) continue;
            if (i + 1 >= args.Length)
                return $"option '{token}' for {benchmark.Name} needs a value: {token} {option.ValueName}";
            if (LooksLikeOption(args[i + 1]))
                return $"option '{token}' for {benchmark.Name} needs a value: {token} {option.ValueName}, not '{args[i + 1]}' (a value may start with '-' only if it is a number)";
            i++;
        }
        return null;
    }

    /// <summary>
    /// A token starting with '-' is an option unless it is a number: values may be negative numbers, but a value
    /// that looks like an option is far more often a forgotten value followed by the next option.
    /// </summary>
    private static bool LooksLikeOption(string token) =>
        token.StartsWith('-') && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Known(IBenchmark benchmark)
    {
        var names = benchmark.Options.Where(o => !o.IsPositional).Select(o => o.Name).ToList();
        return names.Count > 0 ? string.Join(", ", names) : $"none, it takes positional arguments only (see '{benchmark.Name} --help')";
    }
}
