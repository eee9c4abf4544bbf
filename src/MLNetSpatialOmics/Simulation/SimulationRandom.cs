namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// xoshiro256** generator seeded through SplitMix64. The simulator uses its own generator rather than
/// <see cref="System.Random"/> so that a seed gives the same section on every .NET version and platform: the
/// integer stream is fully specified, and the samplers built on it use only IEEE-exact arithmetic plus
/// <see cref="Math.Log"/> / <see cref="Math.Sqrt"/>.
/// </summary>
public sealed class SimulationRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    public SimulationRandom(ulong seed)
    {
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>Raw state, for the reference-vector test of the generator.</summary>
    internal SimulationRandom(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
    }

    /// <summary>
    /// An independent generator for one purpose (e.g. "counts of modality 2, row 517") derived from a seed:
    /// streams are addressed, not consumed in sequence, so rows can be generated in parallel and in any order.
    /// </summary>
    public static SimulationRandom ForStream(long seed, ulong stream, ulong index = 0)
    {
        ulong h = Mix((ulong)seed ^ 0x5DEECE66DUL);
        h = Mix(h ^ (stream * 0x9E3779B97F4A7C15UL));
        h = Mix(h ^ (index * 0xD1B54A32D192ED03UL + 0x2545F4914F6CDD1DUL));
        return new SimulationRandom(h);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong range = (ulong)n;
        while (true)
        {
            ulong x = NextUInt64() >> 32;
            ulong m = x * range;
            ulong low = m & 0xFFFFFFFFUL;
            if (low >= range || low >= ((0x1_0000_0000UL - range) % range)) return (int)(m >> 32);
        }
    }

    public bool NextBernoulli(double p) => NextDouble() < p;

    /// <summary>Standard normal by Marsaglia's polar method (only log and sqrt, both needed anyway).</summary>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpareNormal = true;
        return u * f;
    }

    public double NextNormal(double mean, double sd) => mean + sd * NextNormal();

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
