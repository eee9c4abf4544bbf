namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// Negative binomial with mean <c>μ</c> and shape <c>r</c> (variance μ + μ²/r; NumPy's
/// <c>negative_binomial(n = r, p = r / (μ + r))</c>, the gamma–Poisson mixture NSF draws from), sampled by exact
/// inversion of the cumulative distribution. The simulator's means take only a handful of distinct values (background,
/// background + spatial weight, ...), so one table per mean turns every draw into a uniform and a short search, with no
/// transcendental function per entry; the tail beyond the table is walked with the same recurrence, so the sampler is
/// exact, not truncated.
/// </summary>
public sealed class NegativeBinomialSampler
{
    private const double TableMass = 1.0 - 1e-12;
    private readonly double[] _cdf;
    private readonly double _q;
    private readonly double _shape;

    public double Mean { get; }
    public double Shape => _shape;

    public NegativeBinomialSampler(double mean, double shape)
    {
        if (!(mean >= 0) || double.IsInfinity(mean))
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "the negative-binomial mean must be finite and non-negative.");
        if (!(shape > 0) || double.IsInfinity(shape))
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "the negative-binomial shape must be finite and positive.");
        Mean = mean;
        _shape = shape;
        double p = shape / (mean + shape);
        _q = 1.0 - p;
        var cdf = new List<double>();
        double pmf = Math.Pow(p, shape), cum = 0;
        for (int k = 0; ; k++)
        {
            cum += pmf;
            cdf.Add(cum);
            if (cum >= TableMass || (k > mean && pmf < 1e-300)) break;
            pmf *= (k + shape) / (k + 1) * _q;
        }
        _cdf = cdf.ToArray();
    }

    /// <summary>P(Y = k), by the same recurrence the table uses (for tests and diagnostics).</summary>
    public double Probability(int k)
    {
        if (k < 0) return 0;
        double pmf = Math.Pow(1.0 - _q, _shape);
        for (int i = 0; i < k; i++) pmf *= (i + _shape) / (i + 1) * _q;
        return pmf;
    }

    public int Sample(SimulationRandom random)
    {
        double u = random.NextDouble();
        var cdf = _cdf;
        // Means here are small (≤ ~40), so a linear scan from 0 beats a binary search on average.
        if (u < cdf[^1])
        {
            int k = 0;
            while (cdf[k] <= u) k++;
            return k;
        }
        // Tail (probability < 1e-12): continue the recurrence from the end of the table.
        int j = cdf.Length - 1;
        double cum = cdf[j];
        double pmf = cdf.Length >= 2 ? cdf[j] - cdf[j - 1] : cdf[0];
        while (cum <= u)
        {
            double next = pmf * (j + _shape) / (j + 1) * _q;
            if (next <= 0 || cum + next == cum) break;
            pmf = next;
            cum += pmf;
            j++;
        }
        return j;
    }
}
