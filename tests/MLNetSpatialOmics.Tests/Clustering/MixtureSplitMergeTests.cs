using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Clustering;

[TestClass]
public class MixtureSplitMergeTests
{
    // One large elongated cluster and two small, well separated ones; the truth labels 0 / 1 / 2.
    private static (DenseMatrix X, int[] Truth) ThreeClusters(int scale = 1)
    {
        var rng = new Random(4);
        var rows = new List<(double, double, int)>();
        for (int i = 0; i < 300 * scale; i++) rows.Add((rng.NextDouble() * 6, 0.3 * Gaussian(rng), 0));
        for (int i = 0; i < 60 * scale; i++) rows.Add((1 + 0.3 * Gaussian(rng), 6 + 0.3 * Gaussian(rng), 1));
        for (int i = 0; i < 60 * scale; i++) rows.Add((5 + 0.3 * Gaussian(rng), 6 + 0.3 * Gaussian(rng), 2));
        var x = new DenseMatrix(rows.Count, 2);
        for (int i = 0; i < rows.Count; i++) { x[i, 0] = rows[i].Item1; x[i, 1] = rows[i].Item2; }
        return (x, rows.Select(r => r.Item3).ToArray());
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double Ari(int[] truth, IReadOnlyList<int> labels) =>
        SpatialClusteringEvaluator.Evaluate(truth.Select(t => (string?)t.ToString()).ToArray(), labels.Select(l => (string?)l.ToString()).ToArray()).AdjustedRandIndex;

    [TestMethod]
    public void SearchLeavesTheLocalOptimumWhereALargeClusterIsSplitAndTwoSmallOnesMerged()
    {
        var (x, truth) = ThreeClusters();
        // EM from this start keeps the large cluster cut in two and the two small ones in one component.
        var stuckStart = truth.Select((t, i) => t == 0 ? (x[i, 0] < 3 ? 0 : 1) : 2).ToArray();
        var stuck = MclustFitter.FitFromPartition(x, stuckStart, MixtureModelName.EEE)!;
        Assert.IsTrue(Ari(truth, stuck.TrainingLabels) < 0.7, $"the start should stay wrong under EM alone (ARI {Ari(truth, stuck.TrainingLabels):F3})");

        var refined = MixtureSplitMerge.Refine(x, stuck, new MclustOptions());
        var truthFit = MclustFitter.FitFromPartition(x, truth, MixtureModelName.EEE)!;
        Assert.IsTrue(refined.LogLikelihood > stuck.LogLikelihood + 1, $"loglik {refined.LogLikelihood:F2} vs stuck {stuck.LogLikelihood:F2}");
        Assert.AreEqual(truthFit.LogLikelihood, refined.LogLikelihood, 1e-6 * Math.Abs(truthFit.LogLikelihood), "the search should reach the truth-started optimum");
        Assert.AreEqual(1.0, Ari(truth, refined.TrainingLabels), 1e-12);
        Assert.AreEqual(3, refined.Components);
    }

    [TestMethod]
    public void AboveTheSearchSizeTheSubsetSearchSeedsOneEmOnEveryRow()
    {
        var (x, truth) = ThreeClusters(scale: 50);   // 21,000 rows > MixtureSplitMerge.SearchRows
        Assert.IsTrue(x.Rows > MixtureSplitMerge.SearchRows);
        var stuckStart = truth.Select((t, i) => t == 0 ? (x[i, 0] < 3 ? 0 : 1) : 2).ToArray();
        var stuck = MclustFitter.FitFromPartition(x, stuckStart, MixtureModelName.EEE)!;
        var refined = MixtureSplitMerge.Refine(x, stuck, new MclustOptions());
        Assert.AreEqual(x.Rows, refined.SampleCount, "the returned fit is the full-data EM, not the subset's");
        Assert.IsTrue(refined.LogLikelihood > stuck.LogLikelihood);
        Assert.AreEqual(1.0, Ari(truth, refined.TrainingLabels), 1e-12);
    }

    [TestMethod]
    public void SearchNeverLowersTheLikelihoodAndIsDeterministic()
    {
        var (x, truth) = ThreeClusters();
        var good = MclustFitter.FitFromPartition(x, truth, MixtureModelName.EEE)!;
        var again = MixtureSplitMerge.Refine(x, good, new MclustOptions());
        Assert.IsTrue(again.LogLikelihood >= good.LogLikelihood);
        CollectionAssert.AreEqual(good.TrainingLabels.ToArray(), again.TrainingLabels.ToArray(), "an optimum no move improves stays as it is");

        var stuckStart = truth.Select((t, i) => t == 0 ? (x[i, 0] < 3 ? 0 : 1) : 2).ToArray();
        var stuck = MclustFitter.FitFromPartition(x, stuckStart, MixtureModelName.EEE)!;
        var first = MixtureSplitMerge.Refine(x, stuck, new MclustOptions());
        var second = MixtureSplitMerge.Refine(x, stuck, new MclustOptions());
        CollectionAssert.AreEqual(first.TrainingLabels.ToArray(), second.TrainingLabels.ToArray());
    }

    [TestMethod]
    public void TheHeadOptionRunsTheSearchAfterEm()
    {
        var (x, truth) = ThreeClusters();
        var plain = MclustFitter.Fit(x, 3, MixtureModelName.EEE);
        var searched = MclustFitter.Fit(x, 3, MixtureModelName.EEE, new MclustOptions { SplitMergeSearch = true });
        Assert.IsTrue(searched.LogLikelihood >= plain.LogLikelihood - 1e-9);
        Assert.AreEqual(1.0, Ari(truth, searched.TrainingLabels), 1e-12);
    }
}
