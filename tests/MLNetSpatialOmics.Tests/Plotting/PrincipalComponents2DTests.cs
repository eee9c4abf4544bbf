using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Plotting;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Plotting;

[TestClass]
public class PrincipalComponents2DTests
{
    [TestMethod]
    public void TwoDimensionalDataMatchesTheClosedFormEigenvalues()
    {
        var rng = new SimulationRandom(3);
        var m = new DenseMatrix(2000, 2);
        for (int i = 0; i < m.Rows; i++)
        {
            double a = rng.NextNormal(), b = rng.NextNormal();
            m[i, 0] = 3 * a + 5;
            m[i, 1] = a + 0.5 * b - 1;
        }
        // Sample covariance [[p, q], [q, r]] computed here independently; eigenvalues (p+r)/2 ± √(((p−r)/2)² + q²).
        double mx = Enumerable.Range(0, m.Rows).Average(i => m[i, 0]), my = Enumerable.Range(0, m.Rows).Average(i => m[i, 1]);
        double p = Enumerable.Range(0, m.Rows).Sum(i => (m[i, 0] - mx) * (m[i, 0] - mx)) / (m.Rows - 1);
        double r = Enumerable.Range(0, m.Rows).Sum(i => (m[i, 1] - my) * (m[i, 1] - my)) / (m.Rows - 1);
        double q = Enumerable.Range(0, m.Rows).Sum(i => (m[i, 0] - mx) * (m[i, 1] - my)) / (m.Rows - 1);
        double root = Math.Sqrt((p - r) * (p - r) / 4 + q * q);
        double l1 = (p + r) / 2 + root, l2 = (p + r) / 2 - root;
        var pca = PrincipalComponents2D.Fit(m);
        Assert.AreEqual(l1 / (p + r), pca.ExplainedRatio1, 1e-9);
        Assert.AreEqual(l2 / (p + r), pca.ExplainedRatio2, 1e-9);
        Assert.AreEqual(l1, Variance(pca.Pc1), 1e-8 * l1);
        Assert.AreEqual(l2, Variance(pca.Pc2), 1e-6 * l1);
        Assert.AreEqual(0, Covariance(pca.Pc1, pca.Pc2), 1e-8 * l1, "components are uncorrelated");
    }

    [TestMethod]
    public void RotatedAxesAreRecoveredInHigherDimensions()
    {
        // Independent axes with variances 9, 4, 1, 0.25, 0.25 mixed by a fixed rotation (Householder reflection).
        var rng = new SimulationRandom(9);
        double[] sd = { 3, 2, 1, 0.5, 0.5 };
        double[] u = { 1, -2, 0.5, 1, 3 };
        double un = u.Sum(v => v * v);
        var m = new DenseMatrix(20_000, 5);
        var z = new double[5];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int k = 0; k < 5; k++) z[k] = sd[k] * rng.NextNormal();
            double dot = z.Zip(u, (a, b) => a * b).Sum();
            for (int k = 0; k < 5; k++) m[i, k] = z[k] - 2 * dot / un * u[k];
        }
        var pca = PrincipalComponents2D.Fit(m);
        // Population ratios 9/14.5 and 4/14.5; sampling error at n = 20k is well below 0.01.
        Assert.AreEqual(9 / 14.5, pca.ExplainedRatio1, 0.01);
        Assert.AreEqual(4 / 14.5, pca.ExplainedRatio2, 0.01);
    }

    [TestMethod]
    public void EmptyOrNonFiniteEmbeddingsAreRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => PrincipalComponents2D.Fit(new DenseMatrix(0, 3)));
        var m = new DenseMatrix(2, 2);
        m[1, 1] = double.PositiveInfinity;
        var e = Assert.ThrowsExactly<ArgumentException>(() => PrincipalComponents2D.Fit(m));
        StringAssert.Contains(e.Message, "row 1, column 1");
    }

    private static double Variance(double[] v) { double m = v.Average(); return v.Sum(x => (x - m) * (x - m)) / (v.Length - 1); }
    private static double Covariance(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        return a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum() / (a.Length - 1);
    }
}
