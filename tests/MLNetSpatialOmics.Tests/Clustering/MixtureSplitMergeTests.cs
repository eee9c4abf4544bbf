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

    // A long thin cluster A along x, a small one D lying beside A's right half, offset along y (the direction in which the
    // shared covariance is narrow), and a compact C. Truth labels 0 / 1 / 2.
    private static (DenseMatrix X, int[] Truth) DomainBesideALongCluster()
    {
        const int noise = 4;   // extra dimensions of unit within-cluster spread, as in a PCA of an embedding
        var rng = new Random(7);
        var rows = new List<(double X, double Y, int Truth)>();
        for (int i = 0; i < 400; i++) rows.Add((rng.NextDouble() * 10, 0.08 * Gaussian(rng), 0));
        for (int i = 0; i < 100; i++) rows.Add((5 + rng.NextDouble() * 5, 0.6 + 0.08 * Gaussian(rng), 1));
        for (int i = 0; i < 100; i++) rows.Add((5 + 0.1 * Gaussian(rng), 4 + 0.1 * Gaussian(rng), 2));
        var x = new DenseMatrix(rows.Count, 2 + noise);
        for (int i = 0; i < rows.Count; i++)
        {
            x[i, 0] = rows[i].X;
            x[i, 1] = rows[i].Y;
            for (int c = 2; c < x.Cols; c++) x[i, c] = Gaussian(rng);
        }
        return (x, rows.Select(r => r.Truth).ToArray());
    }

    [TestMethod]
    public void ProposalsCutAComponentInTheSharedCovariancesMetric()
    {
        var (x, truth) = DomainBesideALongCluster();
        // A cut in two, its right half sharing component 1 with D: the cut that frees D is along y, which the unit-spread
        // noise dimensions and the component's length in x hide from Euclidean 2-means and the principal axis.
        var labels = truth.Select((t, i) => t == 2 ? 2 : (t == 0 && x[i, 0] < 5 ? 0 : 1)).ToArray();
        var whitened = MixtureSplitMerge.WithinClassWhitened(x, labels, 3);
        Assert.IsNotNull(whitened);
        var proposals = MixtureSplitMerge.Splits(x, labels, 1, 2020, whitened);
        Assert.AreEqual(4, proposals.Count, "2-means and principal axis, in the data's coordinates and whitened");
        var separation = proposals.Select(p => Ari(p.Members.Select(r => truth[r]).ToArray(), p.Side)).ToArray();
        Assert.IsTrue(separation[0] < 0.1 && separation[1] < 0.1,
            $"the Euclidean cuts should miss D (ARI within the component {separation[0]:F3}, {separation[1]:F3})");
        Assert.AreEqual(1.0, separation[2], 1e-12, "whitened 2-means should cut D off exactly");
        Assert.AreEqual(1.0, separation[3], 1e-12, "the whitened principal axis should cut D off exactly");
        Assert.AreEqual(2, MixtureSplitMerge.Splits(x, labels, 1, 2020, whitened: null).Count);
    }

    [TestMethod]
    public void WhiteningUsesThePooledWithinComponentCovariance()
    {
        var (x, truth) = DomainBesideALongCluster();
        var w = MixtureSplitMerge.WithinClassWhitened(x, truth, 3)!;
        // Independent check: the whitened rows' pooled within-component covariance is the identity.
        int n = x.Rows, d = x.Cols;
        var means = new double[3, d];
        var counts = new int[3];
        for (int r = 0; r < n; r++) { counts[truth[r]]++; for (int c = 0; c < d; c++) means[truth[r], c] += w[r, c]; }
        for (int k = 0; k < 3; k++) for (int c = 0; c < d; c++) means[k, c] /= counts[k];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double s = 0;
                for (int r = 0; r < n; r++) s += (w[r, a] - means[truth[r], a]) * (w[r, b] - means[truth[r], b]);
                Assert.AreEqual(a == b ? 1.0 : 0.0, s / n, 1e-9, $"entry ({a}, {b})");
            }
        var constant = new DenseMatrix(4, 2);   // singular within-component covariance
        Assert.IsNull(MixtureSplitMerge.WithinClassWhitened(constant, new[] { 0, 0, 1, 1 }, 2));
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
