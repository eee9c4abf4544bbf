using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// A small diagonal-covariance Gaussian mixture fitted by EM (k-means++ seeding from a seeded generator), in float64 on
/// the embeddings' device. Used to seed prototypes and to propose sub-cluster splits; O(N·K·d) per iteration.
/// </summary>
public sealed class DiagonalGaussianMixture
{
    public Tensor Means { get; private set; } = null!;
    public Tensor Variances { get; private set; } = null!;
    public Tensor LogWeights { get; private set; } = null!;

    public static DiagonalGaussianMixture Fit(Tensor data, int components, Generator generator, int iterations = 100, double regularization = 1e-6)
    {
        if (components < 1) throw new ArgumentOutOfRangeException(nameof(components), components, "need at least one component.");
        long n = data.shape[0];
        if (n < components) throw new ArgumentException($"{n} points cannot fit {components} components.", nameof(data));
        var x = data.detach().to_type(ScalarType.Float64);
        var gmm = new DiagonalGaussianMixture();
        using (var init = KMeansPlusPlus(x, components, generator))
        {
            var variance = x.var(dim: 0).clamp_min(regularization).unsqueeze(0).expand(components, -1).clone();
            gmm.Means = init.clone();
            gmm.Variances = variance;
            gmm.LogWeights = full(components, -Math.Log(components), dtype: ScalarType.Float64, device: x.device);
        }
        double previous = double.NegativeInfinity;
        for (int it = 0; it < iterations; it++)
        {
            using var scope = NewDisposeScope();
            var logResp = gmm.LogJoint(x);
            var logNorm = logResp.logsumexp(1, keepdim: true);
            double likelihood = logNorm.mean().item<double>();
            var resp = (logResp - logNorm).exp();
            var nk = resp.sum(dim: 0) + 1e-10;
            var means = resp.t().mm(x) / nk.unsqueeze(1);
            var second = resp.t().mm(x.square()) / nk.unsqueeze(1);
            var variances = (second - means.square()).clamp_min(regularization);
            gmm.Replace(means.MoveToOuterDisposeScope(), variances.MoveToOuterDisposeScope(), (nk / n).log().MoveToOuterDisposeScope());
            if (Math.Abs(likelihood - previous) < 1e-7 * Math.Max(1, Math.Abs(likelihood))) break;
            previous = likelihood;
        }
        if (!ReferenceEquals(x, data)) x.Dispose();
        return gmm;
    }

    private void Replace(Tensor means, Tensor variances, Tensor logWeights)
    {
        Means.Dispose(); Variances.Dispose(); LogWeights.Dispose();
        Means = means; Variances = variances; LogWeights = logWeights;
    }

    /// <summary>log π_k + log N(x | μ_k, diag σ²_k), N×K.</summary>
    public Tensor LogJoint(Tensor x)
    {
        using var scope = NewDisposeScope();
        var precision = Variances.reciprocal();
        var quadratic = x.square().mm(precision.t()) - 2 * x.mm((Means * precision).t()) + (Means.square() * precision).sum(1).unsqueeze(0);
        var logDet = Variances.log().sum(1);
        var d = x.shape[1];
        var result = LogWeights.unsqueeze(0) - 0.5 * (quadratic + logDet.unsqueeze(0) + d * Math.Log(2 * Math.PI));
        return result.MoveToOuterDisposeScope();
    }

    public Tensor Predict(Tensor data)
    {
        using var scope = NewDisposeScope();
        return LogJoint(data.detach().to_type(ScalarType.Float64)).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>k-means++ seeds followed by a few Lloyd iterations.</summary>
    internal static Tensor KMeansPlusPlus(Tensor x, int k, Generator generator, int lloydIterations = 20)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var first = randint(0, n, new long[] { 1 }, generator: generator, device: x.device);
        var centers = x.index_select(0, first);
        var closest = (x - centers).square().sum(1);
        for (int c = 1; c < k; c++)
        {
            var total = closest.sum();
            Tensor next;
            if (total.item<double>() <= 0) next = randint(0, n, new long[] { 1 }, generator: generator, device: x.device);
            else next = multinomial(closest / total, 1, generator: generator);
            var centre = x.index_select(0, next);
            centers = cat(new[] { centers, centre }, 0);
            closest = minimum(closest, (x - centre).square().sum(1));
        }
        for (int it = 0; it < lloydIterations; it++)
        {
            var distance = centers.square().sum(1).unsqueeze(0) - 2 * x.mm(centers.t());
            var labels = distance.argmin(1);
            var onehot = nn.functional.one_hot(labels, k).to_type(x.dtype);
            var counts = onehot.sum(dim: 0);
            var sums = onehot.t().mm(x);
            var updated = where(counts.gt(0).unsqueeze(1), sums / counts.clamp_min(1).unsqueeze(1), centers);
            centers = updated;
        }
        return centers.MoveToOuterDisposeScope();
    }
}
