using MLNetSpatialOmics.TorchSharp.Crct;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Crct;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class CovarianceAugmentationTests
{
    [TestMethod]
    public void MagnitudeRisesLinearlyFromZeroToTheBase()
    {
        Assert.AreEqual(0.0, CovarianceAugmentation.Magnitude(0, 200, 0.5));
        Assert.AreEqual(0.125, CovarianceAugmentation.Magnitude(50, 200, 0.5), 1e-15);
        Assert.AreEqual(0.25, CovarianceAugmentation.Magnitude(100, 200, 0.5), 1e-15);
        Assert.AreEqual(0.5, CovarianceAugmentation.Magnitude(200, 200, 0.5), 1e-15);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CovarianceAugmentation.Magnitude(1, 0, 0.5));
    }

    // Two classes with known per-dimension sd; the empirical sd of z̃ − z per class and dimension over many draws
    // must be ρ(t)·σ_y, for several epochs of the schedule.
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void EmpiricalScaleOfThePerturbationFollowsTheSchedulePerClass(bool full)
    {
        const int d = 3, perClass = 4000, epochs = 100;
        var sd = new[] { new[] { 0.5, 1.0, 2.0 }, new[] { 3.0, 0.2, 1.0 } };
        // Training samples with exactly these population sds: ±sd around a class mean.
        var rows = new List<double>();
        var labels = new List<long>();
        for (int c = 0; c < 2; c++)
            for (int s = 0; s < 2; s++)
            {
                for (int j = 0; j < d; j++) rows.Add(10 * c + (s == 0 ? -1 : 1) * sd[c][j]);
                labels.Add(c);
            }
        using var stats = new OnlineClassStatistics(d, full);
        using (var x = tensor(rows.ToArray(), new long[] { 4, d }))
        using (var y = tensor(labels.ToArray()))
            stats.Update(x, y);

        var zLabels = Enumerable.Range(0, 2 * perClass).Select(i => (long)(i / perClass)).ToArray();
        using var yz = tensor(zLabels);
        using var generator = new Generator(42);
        using var z = randn(new long[] { 2 * perClass, d }, dtype: ScalarType.Float32, generator: generator);
        foreach (int epoch in new[] { 10, 50, 90 })
        {
            double rho = CovarianceAugmentation.Magnitude(epoch, epochs, 0.8);
            using var augmented = CovarianceAugmentation.Augment(z, yz, stats, rho, generator, full);
            using var delta = (augmented - z).to_type(ScalarType.Float64);
            for (int c = 0; c < 2; c++)
            {
                using var block = delta.narrow(0, c * perClass, perClass);
                var empirical = block.std(dim: 0).data<double>().ToArray();
                for (int j = 0; j < d; j++)
                {
                    double expected = rho * sd[c][j];
                    // sd of a sample sd over 4000 normal draws ≈ σ/√(2·4000) ≈ 1.1 %; allow 5 %.
                    Assert.AreEqual(expected, empirical[j], 0.05 * expected, $"epoch {epoch}, class {c}, dim {j}");
                }
            }
        }
    }

    [TestMethod]
    public void SameSeedGivesTheSameAugmentationAndGradientsFlowThroughTheEmbedding()
    {
        using var stats = new OnlineClassStatistics(2);
        using (var x = tensor(new double[] { 0, 0, 2, 4 }, new long[] { 2, 2 }))
        using (var y = tensor(new long[] { 0, 0 }))
            stats.Update(x, y);
        using var labels = tensor(new long[] { 0, 0, 0 });
        using var z = ones(3, 2, requires_grad: true);
        float[] Draw()
        {
            using var g = new Generator(5);
            using var a = CovarianceAugmentation.Augment(z, labels, stats, 0.3, g);
            return a.detach().data<float>().ToArray();
        }
        CollectionAssert.AreEqual(Draw(), Draw());

        using var g2 = new Generator(5);
        using var augmented = CovarianceAugmentation.Augment(z, labels, stats, 0.3, g2);
        using var loss = augmented.sum();
        loss.backward();
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 6).ToArray(), z.grad!.data<float>().ToArray());
    }
}
