using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning.Interim;

/// <summary>
/// Stand-in for the clustering head of <c>MLNetSpatialOmics.Clustering</c> (PCA + mclust-style EEE mixture) until it
/// lands on main. PCA by thin SVD (sklearn's sign convention); EEE = Gaussian mixture with one shared full covariance,
/// k-means++ seeded EM with a few restarts, the best log-likelihood kept. All in float64 on the given device.
/// </summary>
internal sealed class InterimEmbeddingClustering
{
    public double[] PcaMean { get; private init; } = Array.Empty<double>();
    /// <summary>components × features, row-major.</summary>
    public double[] PcaComponents { get; private init; } = Array.Empty<double>();
    public int Components { get; private init; }
    public int Features { get; private init; }
    public int Clusters { get; private init; }
    /// <summary>clusters × components, row-major.</summary>
    public double[] Means { get; private init; } = Array.Empty<double>();
    /// <summary>components × components shared covariance.</summary>
    public double[] Covariance { get; private init; } = Array.Empty<double>();
    public double[] Weights { get; private init; } = Array.Empty<double>();

    public static InterimEmbeddingClustering FromState(double[] pcaMean, double[] pcaComponents, int components, int features,
        int clusters, double[] means, double[] covariance, double[] weights)
    {
        if (pcaMean.Length != features || pcaComponents.Length != components * features || means.Length != clusters * components
            || covariance.Length != components * components || weights.Length != clusters)
            throw new InvalidDataException("the saved embedding clustering has inconsistent array sizes.");
        return new InterimEmbeddingClustering
        {
            PcaMean = pcaMean, PcaComponents = pcaComponents, Components = components, Features = features,
            Clusters = clusters, Means = means, Covariance = covariance, Weights = weights,
        };
    }

    public static InterimEmbeddingClustering Fit(Tensor embedding, int clusters, int pcaComponents, long seed, int restarts = 5, int iterations = 200)
    {
        using var scope = NewDisposeScope();
        var x = embedding.detach().to_type(ScalarType.Float64);
        long n = x.shape[0], f = x.shape[1];
        int c = (int)Math.Min(pcaComponents, Math.Min(n, f));
        var mean = x.mean(new long[] { 0 });
        var centred = x - mean;
        var (_, _, vh) = linalg.svd(centred, fullMatrices: false);
        var components = vh.narrow(0, 0, c);
        // sklearn's svd_flip (u-based): make the largest-|u| entry of each component positive.
        var projected = centred.mm(components.t());
        var maxIdx = projected.abs().argmax(0);
        var signs = projected.gather(0, maxIdx.unsqueeze(0)).squeeze(0).sign();
        signs = where(signs.eq(0), ones_like(signs), signs);
        components = components * signs.unsqueeze(1);
        projected = projected * signs.unsqueeze(0);

        var generator = new Generator((ulong)seed, x.device);
        (Tensor means, Tensor cov, Tensor logw, double ll)? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var fit = FitEee(projected, clusters, generator, iterations);
            if (best is null || fit.ll > best.Value.ll) best = fit;
        }
        var b = best!.Value;
        return new InterimEmbeddingClustering
        {
            PcaMean = mean.to(CPU).data<double>().ToArray(),
            PcaComponents = components.contiguous().to(CPU).data<double>().ToArray(),
            Components = c,
            Features = (int)f,
            Clusters = clusters,
            Means = b.means.contiguous().to(CPU).data<double>().ToArray(),
            Covariance = b.cov.contiguous().to(CPU).data<double>().ToArray(),
            Weights = b.logw.exp().to(CPU).data<double>().ToArray(),
        };
    }

    /// <summary>Posterior probabilities (N × clusters) of the embedding rows.</summary>
    public Tensor Posterior(Tensor embedding)
    {
        using var scope = NewDisposeScope();
        var device = embedding.device;
        var x = embedding.detach().to_type(ScalarType.Float64);
        var mean = tensor(PcaMean, dtype: ScalarType.Float64, device: device);
        var components = tensor(PcaComponents, new long[] { Components, Features }, dtype: ScalarType.Float64, device: device);
        var projected = (x - mean).mm(components.t());
        var means = tensor(Means, new long[] { Clusters, Components }, dtype: ScalarType.Float64, device: device);
        var cov = tensor(Covariance, new long[] { Components, Components }, dtype: ScalarType.Float64, device: device);
        var logw = tensor(Weights, dtype: ScalarType.Float64, device: device).clamp_min(1e-300).log();
        var logJoint = LogJoint(projected, means, cov, logw);
        return (logJoint - logJoint.logsumexp(1, keepdim: true)).exp().MoveToOuterDisposeScope();
    }

    private static Tensor LogJoint(Tensor x, Tensor means, Tensor cov, Tensor logw)
    {
        using var scope = NewDisposeScope();
        long d = x.shape[1];
        var chol = linalg.cholesky(cov);
        // Mahalanobis distances through L⁻¹: solve L·Y = Xᵀ.
        var y = linalg.solve_triangular(chol, x.t(), upper: false).t();
        var m = linalg.solve_triangular(chol, means.t(), upper: false).t();
        var quad = y.square().sum(1).unsqueeze(1) - 2 * y.mm(m.t()) + m.square().sum(1).unsqueeze(0);
        var logDet = 2 * chol.diagonal().log().sum();
        var result = logw.unsqueeze(0) - 0.5 * (quad + logDet + d * Math.Log(2 * Math.PI));
        return result.MoveToOuterDisposeScope();
    }

    private static (Tensor means, Tensor cov, Tensor logw, double ll) FitEee(Tensor x, int k, Generator generator, int iterations)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], d = x.shape[1];
        var means = DiagonalGaussianMixture.KMeansPlusPlus(x, k, generator);
        var reg = eye(d, dtype: ScalarType.Float64, device: x.device) * 1e-6 * x.var(dim: 0).mean().item<double>();
        // Hard-assignment start: pooled within-cluster covariance.
        var labels = (means.square().sum(1).unsqueeze(0) - 2 * x.mm(means.t())).argmin(1);
        var resp = nn.functional.one_hot(labels, k).to_type(ScalarType.Float64);
        Tensor cov = null!, logw = null!;
        double previous = double.NegativeInfinity, ll = double.NegativeInfinity;
        for (int it = 0; it <= iterations; it++)
        {
            var nk = resp.sum(dim: 0) + 1e-10;
            means = resp.t().mm(x) / nk.unsqueeze(1);
            var scatter = x.t().mm(x) - (means.t() * nk.unsqueeze(0)).mm(means);
            cov = scatter / n + reg;
            cov = (cov + cov.t()) * 0.5;
            logw = (nk / n).log();
            var logJoint = LogJoint(x, means, cov, logw);
            var logNorm = logJoint.logsumexp(1, keepdim: true);
            ll = logNorm.sum().item<double>();
            resp = (logJoint - logNorm).exp();
            if (Math.Abs(ll - previous) < 1e-8 * Math.Abs(ll)) break;
            previous = ll;
        }
        return (means.MoveToOuterDisposeScope(), cov.MoveToOuterDisposeScope(), logw.MoveToOuterDisposeScope(), ll);
    }
}
