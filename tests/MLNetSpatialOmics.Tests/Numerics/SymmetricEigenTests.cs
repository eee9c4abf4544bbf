using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Numerics;

[TestClass]
public sealed class SymmetricEigenTests
{
    /// <summary>A = Q·diag(λ)·Qᵀ with a random orthogonal Q (Householder products) and chosen λ, clusters and zeros included.</summary>
    private static (DenseMatrix A, double[] Lambda) Known(int n, int seed)
    {
        var rng = new Random(seed);
        var lambda = Enumerable.Range(0, n).Select(i => i < 3 ? 0.0 : i % 7 == 0 ? 5.0 + 1e-9 * i : rng.NextDouble() * 10).ToArray();
        var q = new DenseMatrix(n, n);
        for (int i = 0; i < n; i++) q[i, i] = 1;
        for (int r = 0; r < 3; r++)
        {
            var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            double vv = v.Sum(t => t * t);
            var qv = new double[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) qv[i] += q[i, j] * v[j];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) q[i, j] -= 2 * qv[i] * v[j] / vv;
        }
        var a = new DenseMatrix(n, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { double s = 0; for (int k = 0; k < n; k++) s += q[i, k] * lambda[k] * q[j, k]; a[i, j] = s; }
        return (a, lambda.OrderByDescending(v => v).ToArray());
    }

    [TestMethod]
    public void LargestEigenpairsHaveSmallResidualsAndAreOrthonormal()
    {
        foreach (var n in new[] { 1, 2, 3, 17, 120 })
        {
            var (a, lambda) = Known(n, n);
            int k = Math.Min(n, 25);
            var r = SymmetricEigen.Largest(a, k);
            for (int j = 0; j < k; j++)
            {
                Assert.AreEqual(lambda[j], r.Values[j], 1e-12 * 10 * n, $"n={n} λ{j}");
                for (int i = 0; i < n; i++)
                {
                    double av = 0;
                    for (int t = 0; t < n; t++) av += a[i, t] * r.Vectors[t, j];
                    Assert.AreEqual(r.Values[j] * r.Vectors[i, j], av, 1e-11 * n, $"n={n} residual ({i},{j})");
                }
                for (int l = 0; l <= j; l++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += r.Vectors[i, j] * r.Vectors[i, l];
                    Assert.AreEqual(l == j ? 1 : 0, dot, 1e-10, $"n={n} orthonormality ({j},{l})");
                }
            }
        }
    }

    [TestMethod]
    public void ThinSvdReconstructsWideAndTallMatrices()
    {
        var rng = new Random(4);
        foreach (var (m, n) in new[] { (30, 12), (12, 30) })
        {
            var a = new DenseMatrix(m, n);
            for (int i = 0; i < a.Data.Length; i++) a.Data[i] = rng.NextDouble() - 0.3;
            int k = Math.Min(m, n);
            var svd = ThinSvd.Compute(a, k).FlipSignsByU();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int c = 0; c < k; c++) s += svd.U[i, c] * svd.S[c] * svd.Vt[c, j];
                    Assert.AreEqual(a[i, j], s, 1e-12, $"{m}×{n} reconstruction ({i},{j})");
                }
            for (int c = 0; c < k; c++)
            {
                int best = 0;
                for (int i = 1; i < m; i++) if (Math.Abs(svd.U[i, c]) > Math.Abs(svd.U[best, c])) best = i;
                Assert.IsTrue(svd.U[best, c] > 0, "svd_flip: largest |U| entry of each column is positive");
            }
            var rand = RandomizedSvd.Compute(LinearOperator.From(CsrMatrix.FromDense(a)), 3, seed: 9, oversamples: 10, powerIterations: 20);
            for (int c = 0; c < 3; c++) Assert.AreEqual(svd.S[c], rand.S[c], 1e-10 * svd.S[0]);
        }
    }

    [TestMethod]
    public void CentredOperatorEqualsExplicitCentring()
    {
        var rng = new Random(8);
        var a = new DenseMatrix(20, 7);
        for (int i = 0; i < a.Data.Length; i++) a.Data[i] = rng.NextDouble() < 0.6 ? 0 : rng.Next(1, 9);
        var mean = new double[7];
        for (int i = 0; i < 20; i++) for (int j = 0; j < 7; j++) mean[j] += a[i, j] / 20;
        var centred = a.Clone();
        for (int i = 0; i < 20; i++) for (int j = 0; j < 7; j++) centred[i, j] -= mean[j];
        var b = new DenseMatrix(7, 3); var c = new DenseMatrix(20, 3);
        for (int i = 0; i < b.Data.Length; i++) b.Data[i] = rng.NextDouble();
        for (int i = 0; i < c.Data.Length; i++) c.Data[i] = rng.NextDouble();
        var op = LinearOperator.From(CsrMatrix.FromDense(a)).Centred(mean);
        var p1 = op.Multiply(b); var p2 = MatrixOps.Multiply(centred, b);
        for (int i = 0; i < p1.Data.Length; i++) Assert.AreEqual(p2.Data[i], p1.Data[i], 1e-12);
        var t1 = op.TransposeMultiply(c); var t2 = MatrixOps.TransposeMultiply(centred, c);
        for (int i = 0; i < t1.Data.Length; i++) Assert.AreEqual(t2.Data[i], t1.Data[i], 1e-12);
    }
}
