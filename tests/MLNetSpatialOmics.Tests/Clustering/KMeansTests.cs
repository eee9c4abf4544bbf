using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Clustering;

[TestClass]
public sealed class KMeansTests
{
    private static double Inertia(DenseMatrix x, int[] labels)
    {
        int k = labels.Max() + 1, d = x.Cols;
        var mean = new double[k, d];
        var count = new int[k];
        for (int i = 0; i < x.Rows; i++) { count[labels[i]]++; for (int j = 0; j < d; j++) mean[labels[i], j] += x[i, j]; }
        double s = 0;
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < d; j++) { double t = x[i, j] - mean[labels[i], j] / count[labels[i]]; s += t * t; }
        return s;
    }

    [TestMethod]
    public void ToyPartitionMatchesTruthAndSklearn()
    {
        var x = GmmFixture.Input("toy", out var sklearn);
        var truth = File.ReadAllLines(SharedData.Fixture("gmm_toy_input.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => int.Parse(l.Split(',')[2])).ToArray();
        var km = KMeansClustering.Fit(x, 3, seed: 0);
        Assert.AreEqual(1.0, SpatialClusteringEvaluator.Evaluate(sklearn, km.TrainingLabels.ToArray()).AdjustedRandIndex);
        // k-means ignores the shared anisotropic covariance, so a few boundary points differ from the generating truth.
        Assert.IsTrue(SpatialClusteringEvaluator.Evaluate(truth, km.TrainingLabels.ToArray()).AdjustedRandIndex > 0.95);
        Assert.AreEqual(Inertia(x, km.TrainingLabels.ToArray()), km.Inertia, 1e-9 * km.Inertia);
        CollectionAssert.AreEqual(km.TrainingLabels.ToArray(), KMeansClustering.Fit(x, 3, seed: 0).TrainingLabels.ToArray());
    }

    [TestMethod]
    public void HlnInertiaIsAsGoodAsSklearns()
    {
        var x = GmmFixture.Input("hln_pca10", out var sklearn);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var km = KMeansClustering.Fit(x, 10, seed: 0);
        Console.WriteLine($"k-means fit {sw.Elapsed.TotalSeconds:F2} s, {km.Iterations} iterations in the best restart");
        double reference = Inertia(x, sklearn);
        double ari = SpatialClusteringEvaluator.Evaluate(sklearn, km.TrainingLabels.ToArray()).AdjustedRandIndex;
        Console.WriteLine($"HLN k-means: inertia {km.Inertia:F3} vs sklearn {reference:F3}; ARI vs sklearn labels {ari:F3}");
        Assert.IsTrue(km.Inertia <= reference * 1.01, $"inertia {km.Inertia} vs sklearn {reference}");
        // Lloyd fixed point: every row sits at its nearest centroid.
        CollectionAssert.AreEqual(km.TrainingLabels.ToArray(), km.Predict(x));
    }

    [TestMethod]
    public void NearestPrototypeBreaksTiesTowardsTheLowerIndex()
    {
        var x = DenseMatrix.FromRows(new[] { new[] { 0.0, 0.0 }, new[] { 2.0, 0.0 }, new[] { 1.0, 0.0 } });
        var protos = DenseMatrix.FromRows(new[] { new[] { 0.0, 0.0 }, new[] { 2.0, 0.0 } });
        var labels = NearestPrototype.Assign(x, protos, out var d);
        CollectionAssert.AreEqual(new[] { 0, 1, 0 }, labels);
        Assert.AreEqual(4.0, d[0, 1]);
        Assert.ThrowsExactly<ArgumentException>(() => NearestPrototype.Assign(new DenseMatrix(1, 3), protos));
    }
}
