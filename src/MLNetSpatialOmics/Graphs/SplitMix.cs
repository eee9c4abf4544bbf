namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// A tiny counter-based random stream (SplitMix64). Each (seed, round, point) gets its own stream, so parallel
/// work draws the same numbers whatever thread runs it — the approximate search stays deterministic per seed.
/// </summary>
internal struct SplitMix
{
    private ulong _state;

    public SplitMix(int seed, int stream, int item)
    {
        _state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)stream * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(uint)item * 0x165667B19E3779F9UL;
        Next();
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n).</summary>
    public int Below(int n) => (int)((Next() >> 33) % (ulong)n);
}
