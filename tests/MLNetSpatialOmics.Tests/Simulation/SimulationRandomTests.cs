using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Simulation;

[TestClass]
public class SimulationRandomTests
{
    [TestMethod]
    public void Xoshiro256StarStarReproducesTheReferenceOutputs()
    {
        // Reference outputs of xoshiro256** (Blackman & Vigna) from the state {1, 2, 3, 4}.
        var rng = new SimulationRandom(1, 2, 3, 4);
        Assert.AreEqual(11520UL, rng.NextUInt64());
        Assert.AreEqual(0UL, rng.NextUInt64());
        Assert.AreEqual(1509978240UL, rng.NextUInt64());
        Assert.AreEqual(1215971899390074240UL, rng.NextUInt64());
    }

    [TestMethod]
    public void SameSeedGivesTheSameStreamAndStreamsDiffer()
    {
        var a = SimulationRandom.ForStream(7, 1, 3);
        var b = SimulationRandom.ForStream(7, 1, 3);
        var c = SimulationRandom.ForStream(7, 1, 4);
        var va = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();
        CollectionAssert.AreEqual(va, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()).ToArray());
        CollectionAssert.AreNotEqual(va, Enumerable.Range(0, 8).Select(_ => c.NextUInt64()).ToArray());
    }

    [TestMethod]
    public void BoundedIntegersAreUniform()
    {
        var rng = new SimulationRandom(42);
        const int n = 7, draws = 70_000;
        var counts = new int[n];
        for (int i = 0; i < draws; i++) counts[rng.NextInt(n)]++;
        // Chi-square with 6 degrees of freedom; 22.46 is the 0.999 quantile.
        double expected = draws / (double)n;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.IsLessThan(22.46, chi2);
    }

    [TestMethod]
    public void NormalsHaveMeanZeroAndUnitVariance()
    {
        var rng = new SimulationRandom(5);
        const int draws = 200_000;
        double sum = 0, sq = 0;
        for (int i = 0; i < draws; i++) { double v = rng.NextNormal(); sum += v; sq += v * v; }
        double mean = sum / draws, variance = sq / draws - mean * mean;
        // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance; 5 se bounds.
        Assert.AreEqual(0, mean, 0.011);
        Assert.AreEqual(1, variance, 0.016);
    }

    [TestMethod]
    public void PermutationContainsEveryIndexOnce()
    {
        var p = new SimulationRandom(3).Permutation(1000);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 1000).ToArray(), p);
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 1000).ToArray(), p);
    }
}
