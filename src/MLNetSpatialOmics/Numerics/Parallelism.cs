namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// Parallel loops bounded by the core count. An unbounded Parallel.For lets the thread pool inject workers whenever
/// iterations run long (hill climbing): building a million-spot kNN graph grew one process to 230 threads on 2 cores,
/// starving everything else on the machine without finishing sooner.
/// </summary>
public static class Parallelism
{
    /// <summary>Options for loops that may use every core.</summary>
    public static ParallelOptions Options { get; } = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>Options for a requested degree (-1 = every core), never above the core count.</summary>
    public static ParallelOptions Bounded(int requested) => new()
    {
        MaxDegreeOfParallelism = requested < 1 ? Environment.ProcessorCount : Math.Min(requested, Environment.ProcessorCount),
    };
}
