using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Prototype seeding as in PRAGA's code (after DeepDPM): a K-component Gaussian mixture on the embeddings, then one
/// split proposal per cluster (a 2-component mixture on its members) and one merge proposal per remaining cluster
/// (with its nearest remaining centroid), each accepted when its Hastings ratio under a Normal-Inverse-Wishart prior
/// exceeds 1. Done once per cluster (PRAGA's code repeats the per-cluster sub-fit once per spot; the result is the same).
/// Returns L2-normalised prototypes.
/// </summary>
public sealed class SplitMergePrototypes
{
    public sealed class Options
    {
        /// <summary>DP concentration α in the Hastings ratios.</summary>
        public double Alpha { get; set; } = 1.0;
        /// <summary>NIW κ₀.</summary>
        public double Kappa { get; set; } = 1e-4;
        /// <summary>Scale of the isotropic NIW Ψ₀.</summary>
        public double SigmaScale { get; set; } = 0.005;
        /// <summary>Clusters with at most this many members are never split.</summary>
        public int MinClusterSizeToSplit { get; set; } = 5;
        public int GmmIterations { get; set; } = 100;
    }

    private readonly Options _options;

    public SplitMergePrototypes(Options? options = null) => _options = options ?? new Options();

    /// <summary>Last call's decisions, for diagnostics.</summary>
    public int LastSplits { get; private set; }
    public int LastMerges { get; private set; }

    public Tensor Fit(Tensor embeddings, int clusters, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = embeddings.detach().to_type(ScalarType.Float64);
        long n = x.shape[0], d = x.shape[1];
        int k = (int)Math.Min(clusters, n);
        var gmm = DiagonalGaussianMixture.Fit(x, k, generator, _options.GmmIterations);
        var labels = gmm.Predict(x);
        var prior = new NiwPrior(x, _options.Kappa, Math.Max(3.0 * k, d + 2.0), _options.SigmaScale);

        var members = new List<Tensor>();
        var centroids = new List<Tensor>();
        for (int c = 0; c < k; c++)
        {
            var idx = labels.eq(c).nonzero().squeeze(1);
            members.Add(idx);
            centroids.Add(gmm.Means[c]);
        }

        var result = new List<Tensor>();
        var keep = new List<int>();
        LastSplits = 0;
        for (int c = 0; c < k; c++)
        {
            long size = members[c].shape[0];
            if (size <= Math.Max(_options.MinClusterSizeToSplit, 2)) { keep.Add(c); continue; }
            var points = x.index_select(0, members[c]);
            var sub = DiagonalGaussianMixture.Fit(points, 2, generator, _options.GmmIterations);
            var subLabels = sub.Predict(points);
            var a = points.index_select(0, subLabels.eq(0).nonzero().squeeze(1));
            var b = points.index_select(0, subLabels.eq(1).nonzero().squeeze(1));
            long na = a.shape[0], nb = b.shape[0];
            if (na == 0 || nb == 0) { keep.Add(c); continue; }
            double h = Math.Log(_options.Alpha) + LogGamma(na) + prior.LogMarginal(a) + LogGamma(nb) + prior.LogMarginal(b)
                       - LogGamma(size) - prior.LogMarginal(points);
            if (h > 0)
            {
                result.Add(a.mean(new long[] { 0 }));
                result.Add(b.mean(new long[] { 0 }));
                LastSplits++;
            }
            else keep.Add(c);
        }

        LastMerges = 0;
        var merged = new HashSet<int>();
        foreach (int c in keep)
        {
            if (merged.Contains(c)) continue;
            int nearest = -1;
            double best = double.PositiveInfinity;
            foreach (int o in keep)
            {
                if (o == c || merged.Contains(o)) continue;
                double dist = (centroids[c] - centroids[o]).square().sum().item<double>();
                if (dist < best) { best = dist; nearest = o; }
            }
            bool merge = false;
            if (nearest >= 0)
            {
                var p1 = x.index_select(0, members[c]);
                var p2 = x.index_select(0, members[nearest]);
                long n1 = p1.shape[0], n2 = p2.shape[0];
                if (n1 > 0 && n2 > 0)
                {
                    var both = cat(new[] { p1, p2 }, 0);
                    double h = LogGamma(n1 + n2) - (Math.Log(_options.Alpha) + LogGamma(n1) + LogGamma(n2))
                               + prior.LogMarginal(both) - prior.LogMarginal(p1) - prior.LogMarginal(p2);
                    merge = h > 0;
                }
            }
            if (merge)
            {
                result.Add((centroids[c] + centroids[nearest]) * 0.5);
                merged.Add(c);
                merged.Add(nearest);
                LastMerges++;
            }
            else result.Add(centroids[c]);
        }

        var prototypes = nn.functional.normalize(stack(result), p: 2, dim: 1).to_type(embeddings.dtype);
        return prototypes.MoveToOuterDisposeScope();
    }

    private static double LogGamma(double v)
    {
        using var t = tensor(v, dtype: ScalarType.Float64);
        using var l = t.lgamma();
        return l.item<double>();
    }

    /// <summary>Normal-Inverse-Wishart prior with m₀ = data mean and isotropic Ψ₀; log marginal likelihood of a group.</summary>
    private sealed class NiwPrior
    {
        private readonly Tensor _mean;
        private readonly Tensor _psi;
        private readonly double _kappa, _nu, _logDetPsi;
        private readonly long _dim;

        public NiwPrior(Tensor x, double kappa, double nu, double sigmaScale)
        {
            _dim = x.shape[1];
            _mean = x.mean(new long[] { 0 });
            _psi = eye(_dim, dtype: ScalarType.Float64, device: x.device) * sigmaScale;
            _kappa = kappa;
            _nu = nu;
            _logDetPsi = _dim * Math.Log(sigmaScale);
        }

        public double LogMarginal(Tensor points)
        {
            using var scope = NewDisposeScope();
            long n = points.shape[0];
            var mu = points.mean(new long[] { 0 });
            var centred = points - mu;
            var scatter = centred.t().mm(centred);
            double kappaStar = _kappa + n, nuStar = _nu + n;
            var shift = (mu - _mean).unsqueeze(1);
            var psiStar = _psi + scatter + shift.mm(shift.t()) * (_kappa * n / kappaStar);
            double logDetPsiStar = linalg.slogdet(psiStar).Item2.item<double>();
            return -(n * _dim / 2.0) * Math.Log(Math.PI)
                   + MultivariateLogGamma(nuStar / 2.0) - MultivariateLogGamma(_nu / 2.0)
                   + (_nu / 2.0) * _logDetPsi - (nuStar / 2.0) * logDetPsiStar
                   + (_dim / 2.0) * (Math.Log(_kappa) - Math.Log(kappaStar));
        }

        private double MultivariateLogGamma(double a)
        {
            using var scope = NewDisposeScope();
            var j = arange(1, _dim + 1, dtype: ScalarType.Float64);
            var terms = (a + (1 - j) / 2.0).lgamma();
            return _dim * (_dim - 1) / 4.0 * Math.Log(Math.PI) + terms.sum().item<double>();
        }
    }
}
