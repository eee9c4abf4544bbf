using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// Covariance-guided implicit semantic augmentation (Eqs. 7–8): z̃_i = z_i + ρ(t)·ε_i with ε_i = σ_{ŷ_i} ⊙ ξ_i,
/// ξ_i ~ N(0, I), σ the running per-dimension standard deviation of the spot's pseudo-class. With full covariances
/// kept, ε_i can instead be drawn from N(0, Σ_{ŷ_i}) through a per-class Cholesky factor (O(d³) per class).
/// The perturbation carries no gradient (the statistics are detached); gradients reach z through the identity term.
/// </summary>
public static class CovarianceAugmentation
{
    /// <summary>ρ(t) = (t / T)·ρ₀ (Eq. 8): small while the class statistics are still noisy, ρ₀ at the end.</summary>
    public static double Magnitude(int epoch, int epochs, double baseMagnitude)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "the epoch count must be at least 1.");
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "the epoch must be non-negative.");
        if (baseMagnitude < 0 || !double.IsFinite(baseMagnitude))
            throw new ArgumentOutOfRangeException(nameof(baseMagnitude), baseMagnitude, "ρ₀ must be a finite non-negative number.");
        return baseMagnitude * Math.Min(epoch, epochs) / epochs;
    }

    /// <summary>ε for every row (N×d, in <paramref name="dtype"/>): σ_{ŷ_i} ⊙ ξ_i, or L_{ŷ_i}·ξ_i when <paramref name="fullCovariance"/>.</summary>
    public static Tensor Perturbation(Tensor labels, OnlineClassStatistics statistics, Generator generator, ScalarType dtype,
        bool fullCovariance = false, double jitter = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(statistics);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = labels.shape[0];
        int d = statistics.Dimension;
        var device = statistics.Device;
        Tensor epsilon;
        if (!fullCovariance)
        {
            var xi = randn(new long[] { n, d }, dtype: ScalarType.Float64, device: device, generator: generator);
            epsilon = statistics.StandardDeviations(labels) * xi;
        }
        else
        {
            if (!statistics.FullCovariance)
                throw new ArgumentException("full-covariance sampling needs statistics kept with fullCovariance: true.", nameof(statistics));
            var y = labels.to(device).to_type(ScalarType.Int64);
            epsilon = zeros(n, d, dtype: ScalarType.Float64, device: device);
            var classes = n == 0 ? Array.Empty<long>() : y.unique().Item1.data<long>().ToArray();
            foreach (var c in classes)
            {
                using var inner = NewDisposeScope();
                var rows = y.eq(c).nonzero().squeeze(1);
                if (c >= statistics.ClassCount) continue;   // never seen: no perturbation
                var sigma = statistics.Covariances[c] + eye(d, dtype: ScalarType.Float64, device: device) * jitter;
                var factor = linalg.cholesky(sigma);
                var xi = randn(new long[] { rows.shape[0], d }, dtype: ScalarType.Float64, device: device, generator: generator);
                epsilon.index_copy_(0, rows, xi.mm(factor.t()));
            }
        }
        return epsilon.to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>z̃ = z + ρ·ε (Eq. 8); differentiable in z.</summary>
    public static Tensor Augment(Tensor embeddings, Tensor labels, OnlineClassStatistics statistics, double magnitude,
        Generator generator, bool fullCovariance = false)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException($"labels ({labels.shape[0]}) and embeddings ({embeddings.shape[0]}) must have the same rows.", nameof(labels));
        using var epsilon = Perturbation(labels, statistics, generator, embeddings.dtype, fullCovariance);
        using var moved = epsilon.to(embeddings.device);
        return embeddings + moved * magnitude;
    }
}
