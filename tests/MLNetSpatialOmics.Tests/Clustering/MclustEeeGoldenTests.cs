using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Clustering;

/// <summary>fixtures/gmm_eee.json (mclust 6.0.0, model EEE) — README §4.</summary>
[TestClass]
public sealed class MclustEeeGoldenTests
{
    public static IEnumerable<object[]> Cases => new[] { new object[] { "toy" }, new object[] { "hln_pca10" } };

    private static bool Rel(double e, double a, double tol) => Math.Abs(e - a) <= tol * Math.Max(Math.Abs(e), 1e-300);

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void FirstMStepAndItsLogLikelihoodMatch(string name)
    {
        var x = GmmFixture.Input(name, out var init);
        var block = GmmFixture.Case(name).GetProperty("mclust").GetProperty("me_from_given_partition").GetProperty("first_mstep");
        int g = init.Max() + 1;
        var p = MixtureParameters.MStep(MixtureModelName.EEE, x, MixtureEm.Unmap(init, g), g)!;
        Assert.IsNotNull(p);
        int d = x.Cols;
        GmmFixture.AssertParameters(block, p.Proportions, k => p.Means.AsSpan(k * d, d).ToArray(),
            new DenseMatrix(d, d, p.Covariances.AsSpan(0, d * d).ToArray()), (e, a) => Rel(e, a, 1e-10) || Math.Abs(e - a) < 1e-14, $"{name} first M-step");
        var z = new double[x.Rows * g];
        GmmFixture.AssertRel(block.GetProperty("loglik").GetDouble(), p.EStep(x, z), 1e-10, $"{name} first M-step loglik");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void EmFromTheKMeansPartitionMatchesMclustMe(string name)
    {
        var x = GmmFixture.Input(name, out var init);
        var block = GmmFixture.Case(name).GetProperty("mclust").GetProperty("me_from_given_partition");
        var fit = MclustFitter.FitFromPartition(x, init, MixtureModelName.EEE)!;
        Assert.IsNotNull(fit);
        GmmFixture.AssertRel(block.GetProperty("loglik").GetDouble(), fit.LogLikelihood, 1e-8, $"{name} me loglik");
        GmmFixture.AssertRel(block.GetProperty("bic").GetDouble(), fit.Bic, 1e-8, $"{name} me BIC");
        Assert.AreEqual((int)block.GetProperty("em_iterations_and_rel_error")[0].GetDouble(), fit.Iterations, $"{name} iterations");
        GmmFixture.AssertParameters(block, fit.Weights, fit.Mean, fit.Covariance(0), (e, a) => Math.Abs(e - a) <= 1e-6, $"{name} me");
        var expected = GmmFixture.Ints(block.GetProperty("classification_1based"));
        CollectionAssert.AreEqual(expected, fit.TrainingLabels.Select(l => l + 1).ToArray(), $"{name} classification");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ReplayingMclustsOwnStartReproducesItsFit(string name)
    {
        var x = GmmFixture.Input(name, out _);
        var mclust = GmmFixture.Case(name).GetProperty("mclust");
        var init = mclust.GetProperty("initialisation");
        int g = GmmFixture.Case(name).GetProperty("G").GetInt32();
        double[] z;
        if (name == "toy")
            z = MixtureEm.Unmap(GmmFixture.Ints(init.GetProperty("hclass_partition_1based")).Select(l => l - 1).ToArray(), g);
        else
        {
            var subset = GmmFixture.Ints(init.GetProperty("subset_0based"));
            var part = GmmFixture.Ints(init.GetProperty("hclass_partition_on_subset_1based")).Select(l => l - 1).ToArray();
            var start = MixtureParameters.MStep(MixtureModelName.EEE, MclustFitter.Rows(x, subset), MixtureEm.Unmap(part, g), g)!;
            z = new double[x.Rows * g];
            start.EStep(x, z);
        }
        var em = MixtureEm.Run(MixtureModelName.EEE, x, z, g, 1e-5, 100_000);
        Assert.IsFalse(em.Failed);
        GmmFixture.AssertRel(mclust.GetProperty("loglik").GetDouble(), em.LogLikelihood, 1e-8, $"{name} replay loglik");
        Assert.AreEqual((int)mclust.GetProperty("replay_check").GetProperty("em_iterations_and_rel_error")[0].GetDouble(), em.Iterations);
        var labels = MixtureEm.MapLabels(em.Z, x.Rows, g).Select(l => l + 1).ToArray();
        CollectionAssert.AreEqual(GmmFixture.Ints(mclust.GetProperty("classification_1based")), labels, $"{name} replay classification");
    }

    [TestMethod]
    public void FullMclustFitOnTheToyReproducesMclust()
    {
        var x = GmmFixture.Input("toy", out _);
        var mclust = GmmFixture.Case("toy").GetProperty("mclust");
        var fit = MclustFitter.Fit(x, 3, MixtureModelName.EEE);
        var expected = GmmFixture.Ints(mclust.GetProperty("classification_1based"));
        var ari = SpatialClusteringEvaluator.Evaluate(expected, fit.TrainingLabels.ToArray()).AdjustedRandIndex;
        Console.WriteLine($"toy: loglik {fit.LogLikelihood:R} (mclust {mclust.GetProperty("loglik").GetDouble():R}), BIC {fit.Bic:R}, ICL {fit.Icl:R}, ARI {ari}");
        Assert.AreEqual(1.0, ari, 0.0);
        GmmFixture.AssertRel(mclust.GetProperty("loglik").GetDouble(), fit.LogLikelihood, 1e-3, "toy loglik");
        GmmFixture.AssertRel(mclust.GetProperty("bic").GetDouble(), fit.Bic, 1e-3, "toy BIC");
        GmmFixture.AssertRel(mclust.GetProperty("icl").GetDouble(), fit.Icl, 1e-3, "toy ICL");
        Assert.AreEqual(mclust.GetProperty("df").GetInt32(), fit.DegreesOfFreedom);
    }

    [TestMethod]
    public void HierarchicalAgglomerationOnTheToyGivesMclustsPartition()
    {
        var x = GmmFixture.Input("toy", out _);
        var expected = GmmFixture.Ints(GmmFixture.Case("toy").GetProperty("mclust").GetProperty("initialisation").GetProperty("hclass_partition_1based"));
        var part = ModelBasedAgglomeration.Partitions(ModelBasedAgglomeration.SvdTransform(x), new[] { 3 })[3];
        CollectionAssert.AreEqual(expected, part.Select(l => l + 1).ToArray());
    }

    [TestMethod]
    public void HierarchicalAgglomerationOnMclustsHlnSubset()
    {
        var x = GmmFixture.Input("hln_pca10", out _);
        var init = GmmFixture.Case("hln_pca10").GetProperty("mclust").GetProperty("initialisation");
        var subset = GmmFixture.Ints(init.GetProperty("subset_0based"));
        var expected = GmmFixture.Ints(init.GetProperty("hclass_partition_on_subset_1based"));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var part = ModelBasedAgglomeration.Partitions(ModelBasedAgglomeration.SvdTransform(MclustFitter.Rows(x, subset)), new[] { 10 })[10];
        var ari = SpatialClusteringEvaluator.Evaluate(expected, part).AdjustedRandIndex;
        Console.WriteLine($"HLN subset hc: ARI vs mclust hclass {ari:R}, identical labels {expected.SequenceEqual(part.Select(l => l + 1))}, {sw.Elapsed.TotalSeconds:F2} s");
        Assert.AreEqual(1.0, ari, 0.0);
    }
}
