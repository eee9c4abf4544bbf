using MLNetSpatialOmics.TorchSharp.Crct;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Crct;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class OnlineClassStatisticsTests
{
    // Direct pooled mean and population covariance over all samples of one class (plain double loops).
    private static (double[] Mean, double[,] Cov, int Count) Direct(List<double[]> rows)
    {
        int d = rows[0].Length, n = rows.Count;
        var mean = new double[d];
        foreach (var r in rows) for (int j = 0; j < d; j++) mean[j] += r[j] / n;
        var cov = new double[d, d];
        foreach (var r in rows)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                    cov[a, b] += (r[a] - mean[a]) * (r[b] - mean[b]) / n;
        return (mean, cov, n);
    }

    private static (List<double[]> X, List<long> Y) Batch(Random rng, int n, int d, int classes, int[] absent)
    {
        var x = new List<double[]>();
        var y = new List<long>();
        for (int i = 0; i < n; i++)
        {
            long c;
            do c = rng.Next(classes); while (absent.Contains((int)c));
            var row = new double[d];
            for (int j = 0; j < d; j++) row[j] = 3.0 * c + (j + 1) * (rng.NextDouble() - 0.5) + 0.3 * j * c;
            x.Add(row);
            y.Add(c);
        }
        return (x, y);
    }

    private static Tensor ToTensor(List<double[]> rows) =>
        tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Count, rows[0].Length }, dtype: ScalarType.Float64);

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void UpdatesOverSeveralBatchesMatchTheDirectMomentsOfAllSamples(bool full)
    {
        const int d = 4, classes = 5;
        var rng = new Random(7);
        using var stats = new OnlineClassStatistics(d, full);
        var all = Enumerable.Range(0, classes).Select(_ => new List<double[]>()).ToArray();
        // Batches of different sizes; class 3 is absent from the second batch, class 4 only appears in the last.
        var plan = new (int Size, int[] Absent)[] { (40, new[] { 4 }), (25, new[] { 3, 4 }), (7, new[] { 4 }), (60, Array.Empty<int>()) };
        foreach (var (size, absent) in plan)
        {
            var (x, y) = Batch(rng, size, d, classes, absent);
            using var xt = ToTensor(x);
            using var yt = tensor(y.ToArray());
            stats.Update(xt, yt);
            for (int i = 0; i < x.Count; i++) all[y[i]].Add(x[i]);
        }

        Assert.AreEqual(classes, stats.ClassCount);
        var means = stats.Means.data<double>().ToArray();
        var covs = stats.Covariances.data<double>().ToArray();
        var counts = stats.Counts.data<double>().ToArray();
        for (int c = 0; c < classes; c++)
        {
            var (mean, cov, count) = Direct(all[c]);
            Assert.AreEqual(count, counts[c], 0.0, $"count of class {c}");
            for (int a = 0; a < d; a++)
            {
                Assert.AreEqual(mean[a], means[c * d + a], 1e-6, $"mean[{c},{a}]");
                if (!full) Assert.AreEqual(cov[a, a], covs[c * d + a], 1e-6, $"var[{c},{a}]");
                else
                    for (int b = 0; b < d; b++)
                        Assert.AreEqual(cov[a, b], covs[(c * d + a) * d + b], 1e-6, $"cov[{c},{a},{b}]");
            }
        }
    }

    [TestMethod]
    public void AbsentClassesAreLeftUntouchedAndTheUpdateIsDetached()
    {
        using var stats = new OnlineClassStatistics(2);
        using (var x = tensor(new double[] { 1, 2, 3, 4, 10, 10, 12, 14 }, new long[] { 4, 2 }))
        using (var y = tensor(new long[] { 0, 0, 1, 1 }))
            stats.Update(x, y);
        var before = stats.Means[1].data<double>().ToArray().Concat(stats.Covariances[1].data<double>().ToArray()).ToArray();

        using var z = tensor(new float[] { 5, 5, 7, 9 }, new long[] { 2, 2 }, requires_grad: true);
        using var y0 = tensor(new long[] { 0, 0 });
        stats.Update(z, y0);
        var after = stats.Means[1].data<double>().ToArray().Concat(stats.Covariances[1].data<double>().ToArray()).ToArray();
        CollectionAssert.AreEqual(before, after);
        Assert.IsFalse(stats.Means.requires_grad);
        Assert.IsFalse(stats.Covariances.requires_grad);
        CollectionAssert.AreEqual(new double[] { 4, 2 }, stats.Counts.data<double>().ToArray());
        // Class 0 pooled over {(1,2),(3,4),(5,5),(7,9)}: mean (4, 5).
        CollectionAssert.AreEqual(new double[] { 4, 5 }, stats.Means[0].data<double>().ToArray());
    }

    [TestMethod]
    public void StandardDeviationsAreZeroForUnseenClassesAndResetForgetsEverything()
    {
        using var stats = new OnlineClassStatistics(1);
        using (var x = tensor(new double[] { 0, 2 }, new long[] { 2, 1 }))
        using (var y = tensor(new long[] { 0, 0 }))
            stats.Update(x, y);
        using var labels = tensor(new long[] { 0, 3 });
        using var sd = stats.StandardDeviations(labels);
        CollectionAssert.AreEqual(new double[] { 1, 0 }, sd.data<double>().ToArray());
        stats.Reset();
        Assert.AreEqual(0, stats.ClassCount);
    }

    [TestMethod]
    public void BadShapesAndNegativeLabelsAreRejectedWithClearMessages()
    {
        using var stats = new OnlineClassStatistics(3);
        using var x = zeros(4, 2, dtype: ScalarType.Float64);
        using var y = tensor(new long[] { 0, 1, 2, 3 });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => stats.Update(x, y)).Message, "N×3");
        using var x3 = zeros(4, 3, dtype: ScalarType.Float64);
        using var neg = tensor(new long[] { 0, -1, 2, 3 });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => stats.Update(x3, neg)).Message, "non-negative");
    }
}
