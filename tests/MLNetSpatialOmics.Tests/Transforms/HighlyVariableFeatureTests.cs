using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Tests.Transforms;

[TestClass]
public sealed class HighlyVariableFeatureTests
{
    [TestMethod]
    public void LoessReproducesPolynomialsOfItsDegree()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 400).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
        var quad = x.Select(v => 0.5 - 1.5 * v + 0.25 * v * v).ToArray();
        var fit = Loess.Fit(x, quad, 0.3, 2);
        for (int i = 0; i < x.Length; i++) Assert.AreEqual(quad[i], fit[i], 1e-9);
        var line = x.Select(v => 2 + 3 * v).ToArray();
        var fit1 = Loess.Fit(x, line, 0.3, 1);
        for (int i = 0; i < x.Length; i++) Assert.AreEqual(line[i], fit1[i], 1e-9);
    }

    [TestMethod]
    public void LoessMatchesABruteForceWeightedFitAtOnePoint()
    {
        var rng = new Random(11);
        int n = 200;
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var y = x.Select(v => Math.Sin(6 * v) + 0.1 * rng.NextDouble()).ToArray();
        var fit = Loess.Fit(x, y, 0.3, 2);
        // Independent: q = 60 nearest by sorting distances, tricube weights, 3×3 normal equations by Cramer's rule.
        int t = 17;
        double x0 = x[t];
        var d = x.Select(v => Math.Abs(v - x0)).OrderBy(v => v).ToArray();
        double h = d[59];
        double[,] a = new double[3, 3]; double[] b = new double[3];
        for (int i = 0; i < n; i++)
        {
            double r = Math.Abs(x[i] - x0) / h;
            if (r >= 1) continue;
            double w = Math.Pow(1 - r * r * r, 3);
            double[] f = { 1, x[i] - x0, (x[i] - x0) * (x[i] - x0) };
            for (int p = 0; p < 3; p++) { b[p] += w * f[p] * y[i]; for (int q = 0; q < 3; q++) a[p, q] += w * f[p] * f[q]; }
        }
        double Det(double[,] m) => m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var a0 = (double[,])a.Clone();
        for (int p = 0; p < 3; p++) a0[p, 0] = b[p];
        Assert.AreEqual(Det(a0) / Det(a), fit[t], 1e-8);
    }

    [TestMethod]
    public void PandasCutUsesRightClosedEqualWidthBins()
    {
        // pandas.cut([0, 1, 2, 3, 4, 10], 5) → bins (-0.01, 2], (2, 4], (4, 6], (6, 8], (8, 10] → codes 0,0,0,1,1,4.
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 1, 1, 4 }, HighlyVariableFeatures.PandasCut(new double[] { 0, 1, 2, 3, 4, 10 }, 5));
    }

    /// <summary>Counts from Poisson(mean) for most genes, a few genes with large extra dispersion: both flavours find those.</summary>
    [TestMethod]
    public void BothFlavoursFindOverdispersedGenes()
    {
        var rng = new Random(7);
        int spots = 600, genes = 300;
        var counts = new DenseMatrix(spots, genes);
        var overdispersed = new HashSet<int> { 5, 40, 77, 150, 222, 299 };
        var geneMean = Enumerable.Range(0, genes).Select(j => Math.Exp(rng.NextDouble() * 4 - 1)).ToArray();
        for (int i = 0; i < spots; i++)
            for (int j = 0; j < genes; j++)
            {
                double lambda = geneMean[j];
                if (overdispersed.Contains(j)) lambda *= rng.NextDouble() < 0.2 ? 8 : 0.25;   // bursty expression
                counts[i, j] = Poisson(rng, lambda);
            }
        var x = new FeatureMatrix(CsrMatrix.FromDense(counts));
        var v3 = HighlyVariableFeatures.SeuratV3(x, 6);
        CollectionAssert.AreEquivalent(overdispersed.ToArray(), v3);
        var log = CountKernels.Log1p(CountKernels.NormalizeTotal(x));
        var seurat = HighlyVariableFeatures.Seurat(log, 6);
        Assert.IsTrue(overdispersed.Count(seurat.Contains) >= 5, $"seurat flavour found {string.Join(",", seurat)}");
    }

    [TestMethod]
    public void SeuratV3NormalisedVarianceOfConstantGeneIsZeroAndSparseEqualsDense()
    {
        var rng = new Random(2);
        var m = new DenseMatrix(50, 20);
        for (int i = 0; i < 50; i++) for (int j = 1; j < 20; j++) m[i, j] = Poisson(rng, 1 + j);
        for (int i = 0; i < 50; i++) m[i, 0] = 3;   // constant gene
        var dense = HighlyVariableFeatures.SeuratV3NormalisedVariance(new FeatureMatrix(m));
        var sparse = HighlyVariableFeatures.SeuratV3NormalisedVariance(new FeatureMatrix(CsrMatrix.FromDense(m)));
        Assert.AreEqual(0.0, dense[0]);
        for (int j = 0; j < 20; j++) Assert.AreEqual(dense[j], sparse[j], 1e-12 * Math.Max(1, Math.Abs(dense[j])));
    }

    private static double Poisson(Random rng, double lambda)
    {
        double l = Math.Exp(-lambda), p = 1; int k = 0;
        do { k++; p *= rng.NextDouble(); } while (p > l);
        return k - 1;
    }
}
