using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Clustering;

[TestClass]
public sealed class MixtureBehaviourTests
{
    private static readonly MixtureModelName[] AllModels = Enum.GetValues<MixtureModelName>();

    [TestMethod]
    public void HlnFullFitWithOwnSubsetIsReported()
    {
        var x = GmmFixture.Input("hln_pca10", out _);
        var mclust = GmmFixture.Case("hln_pca10").GetProperty("mclust");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var fit = MclustFitter.Fit(x, 10, MixtureModelName.EEE);
        var expected = GmmFixture.Ints(mclust.GetProperty("classification_1based"));
        var truth = File.ReadAllLines(SharedData.DataFile("hln_a1/praga_GT_labels.txt")).Where(l => l.Length > 0).Select(int.Parse).ToArray();
        double ariMclust = SpatialClusteringEvaluator.Evaluate(expected, fit.TrainingLabels.ToArray()).AdjustedRandIndex;
        double ariTruth = SpatialClusteringEvaluator.Evaluate(truth, fit.TrainingLabels.ToArray()).AdjustedRandIndex;
        Console.WriteLine($"HLN EEE G=10 (own subset, seed 2020): loglik {fit.LogLikelihood:F4} (mclust {mclust.GetProperty("loglik").GetDouble():F4}), " +
            $"BIC {fit.Bic:F2} (mclust {mclust.GetProperty("bic").GetDouble():F2}), ARI vs mclust {ariMclust:F3}, ARI vs truth {ariTruth:F3} (mclust 0.208), " +
            $"{fit.Iterations} EM iterations, {sw.Elapsed.TotalSeconds:F1} s");
        // Not bit-reproducible (R's subset RNG); a proper local optimum of the same data lands near mclust's.
        Assert.AreEqual(mclust.GetProperty("loglik").GetDouble(), fit.LogLikelihood, 0.05 * Math.Abs(fit.LogLikelihood));
        Assert.AreEqual(2 * fit.LogLikelihood - 164 * Math.Log(3484), fit.Bic, 1e-6);
    }

    [TestMethod]
    public void SubsetInitialisationIsDeterministicPerSeed()
    {
        // Force mclust's subset path on the toy (600 rows, subset 300): same seed → same fit; the fit stays correct.
        var x = GmmFixture.Input("toy", out _);
        var o = new MclustOptions { SubsetSize = 300, Seed = 5 };
        var a = MclustFitter.Fit(x, 3, MixtureModelName.EEE, o);
        var b = MclustFitter.Fit(x, 3, MixtureModelName.EEE, o);
        CollectionAssert.AreEqual(a.TrainingLabels.ToArray(), b.TrainingLabels.ToArray());
        Assert.AreEqual(a.LogLikelihood, b.LogLikelihood);
        var mclust = GmmFixture.Ints(GmmFixture.Case("toy").GetProperty("mclust").GetProperty("classification_1based"));
        Assert.AreEqual(1.0, SpatialClusteringEvaluator.Evaluate(mclust, a.TrainingLabels.ToArray()).AdjustedRandIndex);
        CollectionAssert.AreEqual(MclustFitter.DrawSubset(600, 300, 5), MclustFitter.DrawSubset(600, 300, 5));
        Assert.AreEqual(300, MclustFitter.DrawSubset(600, 300, 5).Distinct().Count());
    }

    [TestMethod]
    public void BicOverARangeChoosesThreeComponentsOnTheToy()
    {
        var x = GmmFixture.Input("toy", out _);
        var sel = MclustFitter.FitRange(x, Enumerable.Range(1, 6), AllModels);
        Console.WriteLine(sel);
        Assert.AreEqual(3, sel.Best.Components);
        Assert.AreEqual(6 * AllModels.Length, sel.BicTable.Count);
        var bestEntry = sel.BicTable.Where(e => !double.IsNaN(e.Bic)).MaxBy(e => e.Bic);
        Assert.AreEqual(bestEntry.Bic, sel.Best.Bic);
    }

    [TestMethod]
    public void EveryModelsMStepMatchesItsDefinitionAndEmNeverDecreasesTheLikelihood()
    {
        var x = GmmFixture.Input("toy", out var init);
        int n = x.Rows, d = x.Cols, g = 3;
        var z = MixtureEm.Unmap(init, g);
        foreach (var model in AllModels)
        {
            var p = MixtureParameters.MStep(model, x, z, g)!;
            // Independent: hard-partition scatter matrices.
            var nk = new double[g];
            var mean = new double[g, d];
            for (int i = 0; i < n; i++) { nk[init[i]]++; for (int j = 0; j < d; j++) mean[init[i], j] += x[i, j]; }
            for (int k = 0; k < g; k++) for (int j = 0; j < d; j++) mean[k, j] /= nk[k];
            var w = new double[g, d, d];
            for (int i = 0; i < n; i++)
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) w[init[i], a, b] += (x[i, a] - mean[init[i], a]) * (x[i, b] - mean[init[i], b]);
            for (int k = 0; k < g; k++)
            {
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                    {
                        double pooled = 0, traceAll = 0, traceK = 0;
                        for (int c = 0; c < g; c++) pooled += w[c, a, b];
                        for (int c = 0; c < g; c++) for (int e = 0; e < d; e++) traceAll += w[c, e, e];
                        for (int e = 0; e < d; e++) traceK += w[k, e, e];
                        double expected = model switch
                        {
                            MixtureModelName.EEE => pooled / n,
                            MixtureModelName.VVV => w[k, a, b] / nk[k],
                            MixtureModelName.EEI => a == b ? pooled / n : 0,
                            MixtureModelName.VVI => a == b ? w[k, a, a] / nk[k] : 0,
                            MixtureModelName.EII => a == b ? traceAll / (n * d) : 0,
                            MixtureModelName.VII => a == b ? traceK / (nk[k] * d) : 0,
                            _ => double.NaN,
                        };
                        Assert.AreEqual(expected, p.Covariances[k * d * d + a * d + b], 1e-12, $"{model} Σ_{k}[{a},{b}]");
                    }
                Assert.AreEqual(nk[k] / n, p.Proportions[k], 1e-15);
            }
            // Log-likelihood against a direct 2-D density evaluation.
            var zz = new double[n * g];
            double ll = p.EStep(x, zz), direct = 0;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int k = 0; k < g; k++)
                {
                    double s00 = p.Covariances[k * 4], s01 = p.Covariances[k * 4 + 1], s11 = p.Covariances[k * 4 + 3];
                    double det = s00 * s11 - s01 * s01;
                    double dx = x[i, 0] - p.Means[k * 2], dy = x[i, 1] - p.Means[k * 2 + 1];
                    double q = (s11 * dx * dx - 2 * s01 * dx * dy + s00 * dy * dy) / det;
                    s += p.Proportions[k] * Math.Exp(-q / 2) / (2 * Math.PI * Math.Sqrt(det));
                }
                direct += Math.Log(s);
            }
            Assert.AreEqual(direct, ll, 1e-9 * Math.Abs(direct), $"{model} loglik");

            // EM is monotone.
            var zRun = MixtureEm.Unmap(init, g);
            double previous = double.NegativeInfinity;
            for (int it = 0; it < 15; it++)
            {
                var step = MixtureParameters.MStep(model, x, zRun, g)!;
                double l = step.EStep(x, zRun);
                Assert.IsTrue(l >= previous - 1e-9 * Math.Abs(l), $"{model}: loglik fell from {previous} to {l} at iteration {it}");
                previous = l;
            }
        }
    }

    [TestMethod]
    public void PredictOnNewRowsUsesTheFittedParametersAndSurvivesSaveLoad()
    {
        var x = GmmFixture.Input("toy", out var init);
        var fit = MclustFitter.FitFromPartition(x, init, MixtureModelName.VVV)!;
        var labels = fit.Predict(x);
        CollectionAssert.AreEqual(fit.TrainingLabels.ToArray(), labels);
        var w = new MLNetSpatialOmics.Persistence.ModelStateWriter();
        fit.Save(w);
        var back = GaussianMixture.Load(MLNetSpatialOmics.Persistence.ModelStateReader.FromBytes(w.ToBytes()));
        var p1 = fit.PredictProbabilities(x);
        var p2 = back.PredictProbabilities(x);
        CollectionAssert.AreEqual(p1.Data, p2.Data);
        Assert.AreEqual(fit.Bic, back.Bic);
        var bad = Assert.ThrowsExactly<ArgumentException>(() => fit.Predict(new DenseMatrix(2, 3)));
        StringAssert.Contains(bad.Message, "2 dimensions");
    }

    [TestMethod]
    public void DegenerateAndBadInputs()
    {
        // One informative column (the other constant): initialisation falls back to quantile classes; VVI fits.
        var rng = new Random(2);
        var rows = Enumerable.Range(0, 200).Select(i => new[] { (i < 100 ? 0.0 : 8.0) + rng.NextDouble(), 1.0 }).ToArray();
        var x = DenseMatrix.FromRows(rows);
        var oneD = DenseMatrix.FromRows(rows.Select(r => new[] { r[0] }).ToArray());
        var fit = MclustFitter.Fit(oneD, 2, MixtureModelName.VVV);
        var truth = Enumerable.Range(0, 200).Select(i => i < 100 ? 0 : 1).ToArray();
        Assert.AreEqual(1.0, SpatialClusteringEvaluator.Evaluate(truth, fit.TrainingLabels.ToArray()).AdjustedRandIndex);
        // With the constant column every covariance is singular: a clear error, not a crash.
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => MclustFitter.Fit(x, 2, MixtureModelName.EEE));
        StringAssert.Contains(e.Message, "failed");
        x[3, 0] = double.NaN;
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => MclustFitter.Fit(x, 2));
        StringAssert.Contains(e2.Message, "row 3");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MclustFitter.Fit(oneD, 0));
    }

    [TestMethod]
    public void SymmetricEigenReconstructsTheMatrix()
    {
        var rng = new Random(3);
        int d = 7;
        var a = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = rng.NextDouble() - 0.5;
        var (values, vectors) = DenseLinearAlgebra.SymmetricEigen(a, d);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += vectors[i * d + k] * values[k] * vectors[j * d + k];
                Assert.AreEqual(a[i * d + j], s, 1e-13);
            }
        for (int k = 1; k < d; k++) Assert.IsTrue(values[k - 1] >= values[k]);
    }
}
