using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class KMeansPrototypesTests
{
    // Three tight blobs of unequal size (a rare one of 12) around known centres.
    private static (Tensor Points, double[][] Centres) Blobs()
    {
        var centres = new[] { new[] { 4.0, 0, 0, 1 }, new[] { 0, 5.0, 1, 0 }, new[] { -3.0, -3, 2, 2 } };
        var sizes = new[] { 150, 60, 12 };
        var rng = new Random(5);
        var rows = new List<double>();
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < sizes[c]; i++)
                rows.AddRange(centres[c].Select(v => v + 0.1 * (rng.NextDouble() - 0.5)));
        return (tensor(rows.ToArray(), new long[] { sizes.Sum(), 4 }, dtype: ScalarType.Float32), centres);
    }

    [TestMethod]
    public void PrototypesAreTheNormalisedClusterCentresIncludingTheRareOne()
    {
        var (points, centres) = Blobs();
        using var _ = points;
        using var generator = new Generator(3);
        using var prototypes = KMeansPrototypes.Fit(points, 3, generator);
        Assert.AreEqual(ScalarType.Float32, prototypes.dtype);
        var p = prototypes.to_type(ScalarType.Float64).data<double>().ToArray();
        foreach (var centre in centres)
        {
            double norm = Math.Sqrt(centre.Sum(v => v * v));
            var unit = centre.Select(v => v / norm).ToArray();
            // The blob mean moves by at most 0.05 per coordinate; its direction stays within 0.02 of the centre's.
            double best = Enumerable.Range(0, 3).Min(k => Math.Sqrt(Enumerable.Range(0, 4).Sum(j => Math.Pow(p[k * 4 + j] - unit[j], 2))));
            Assert.IsTrue(best < 0.02, $"no prototype near the direction of centre ({string.Join(", ", centre)}): closest at {best:F4}");
        }
        for (int k = 0; k < 3; k++)
            Assert.AreEqual(1.0, Math.Sqrt(Enumerable.Range(0, 4).Sum(j => p[k * 4 + j] * p[k * 4 + j])), 1e-6);
    }

    [TestMethod]
    public void SameGeneratorSeedGivesTheSamePrototypes()
    {
        var (points, _) = Blobs();
        using var __ = points;
        float[] Run(ulong seed)
        {
            using var generator = new Generator(seed);
            using var prototypes = KMeansPrototypes.Fit(points, 3, generator);
            return prototypes.data<float>().ToArray();
        }
        CollectionAssert.AreEqual(Run(8), Run(8));
    }

    [TestMethod]
    public void KMeansPrototypesAndSplitMergeCannotBothBeAsked()
    {
        var options = new CrctOptions
        {
            Praga = new PragaOptions { ModalityColumns = new[] { "RNA" }, SplitMerge = true },
            Prototypes = CrctPrototypeMethod.KMeans,
        };
        var error = Assert.ThrowsExactly<ArgumentException>(() => options.Validate());
        StringAssert.Contains(error.Message, "SplitMerge");
    }
}
