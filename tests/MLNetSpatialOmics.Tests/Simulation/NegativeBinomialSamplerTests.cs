using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Simulation;

[TestClass]
public class NegativeBinomialSamplerTests
{
    [TestMethod]
    [DataRow(0.2)] [DataRow(9.2)] [DataRow(20.6)] [DataRow(45.0)]
    public void DrawsHaveTheNegativeBinomialMeanVarianceAndProbabilities(double mean)
    {
        const double shape = 10;
        const int draws = 200_000;
        var sampler = new NegativeBinomialSampler(mean, shape);
        var rng = new SimulationRandom(11);
        var hist = new Dictionary<int, int>();
        double sum = 0, sq = 0;
        for (int i = 0; i < draws; i++)
        {
            int k = sampler.Sample(rng);
            sum += k; sq += (double)k * k;
            hist[k] = hist.GetValueOrDefault(k) + 1;
        }
        double m = sum / draws, v = sq / draws - m * m;
        double variance = mean + mean * mean / shape;
        // Mean within 5 standard errors.
        Assert.AreEqual(mean, m, 5 * Math.Sqrt(variance / draws) + 1e-12);
        // Variance within 5% (its standard error at n = 200k is < 1% for these shapes).
        Assert.AreEqual(variance, v, 0.05 * variance);
        // P(0) in closed form: (r / (r + μ))^r.
        Assert.AreEqual(Math.Pow(shape / (shape + mean), shape), sampler.Probability(0), 1e-15);
        // Chi-square goodness of fit over the cells with expected count ≥ 20 (rest pooled).
        double chi2 = 0, restObserved = draws, restExpected = draws;
        int df = 0;
        for (int k = 0; k < 400; k++)
        {
            double e = draws * sampler.Probability(k);
            if (e < 20) continue;
            double o = hist.GetValueOrDefault(k);
            chi2 += (o - e) * (o - e) / e;
            restObserved -= o; restExpected -= e;
            df++;
        }
        if (restExpected >= 20) { chi2 += (restObserved - restExpected) * (restObserved - restExpected) / restExpected; df++; }
        // Wilson–Hilferty approximation of the chi-square 0.9999 quantile for df - 1 degrees of freedom.
        int nu = Math.Max(1, df - 1);
        double z = 3.719, t = 1 - 2.0 / (9 * nu) + z * Math.Sqrt(2.0 / (9 * nu));
        Assert.IsLessThan(nu * t * t * t, chi2, $"chi2 = {chi2:F1} with {nu} df");
    }

    [TestMethod]
    public void ProbabilitiesSumToOne()
    {
        var s = new NegativeBinomialSampler(20.6, 10);
        double total = Enumerable.Range(0, 1000).Sum(s.Probability);
        Assert.AreEqual(1.0, total, 1e-12);
    }

    [TestMethod]
    public void ZeroMeanAlwaysDrawsZero()
    {
        var s = new NegativeBinomialSampler(0, 10);
        var rng = new SimulationRandom(1);
        for (int i = 0; i < 1000; i++) Assert.AreEqual(0, s.Sample(rng));
    }

    [TestMethod]
    public void InvalidParametersNameTheParameter()
    {
        var e1 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NegativeBinomialSampler(-1, 10));
        Assert.AreEqual("mean", e1.ParamName);
        var e2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NegativeBinomialSampler(1, 0));
        Assert.AreEqual("shape", e2.ParamName);
    }
}
