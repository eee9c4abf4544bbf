namespace MLNetSpatialOmics.Benchmarks;

/// <summary>The benchmarks' "--name value" arguments.</summary>
internal static class BenchmarkArgs
{
    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when it is absent or last.</summary>
    public static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
