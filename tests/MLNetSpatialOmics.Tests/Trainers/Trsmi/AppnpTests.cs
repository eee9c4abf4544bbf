using MLNetSpatialOmics.TorchSharp.Trsmi;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class AppnpTests
{
    [TestMethod]
    public void LargeKConvergesToTheClosedFormPersonalisedPageRank()
    {
        const int n = 30;
        const double alpha = 0.15;
        var adjacency = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(n, 0.15, 11));
        torch.manual_seed(5);
        var h = randn(n, 6, dtype: ScalarType.Float64);

        var z = Appnp.Propagate(h, DenseGraphs.SparseOperator(adjacency), steps: 200, alpha);
        // α(I − (1 − α)Â)⁻¹H by a dense solve.
        var closedForm = linalg.solve(eye(n, dtype: ScalarType.Float64) - adjacency * (1 - alpha), h) * alpha;
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(z, closedForm) < 1e-5, $"max |Δ| = {DenseGraphs.MaxAbsDifference(z, closedForm)}");
    }

    [TestMethod]
    public void SmallKIsTheTruncatedSeries()
    {
        var adjacency = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(12, 0.3, 12));
        var h = randn(12, 3, dtype: ScalarType.Float64);
        // K = 2: α·H + α(1−α)·ÂH + (1−α)²·Â²H.
        var ah = adjacency.mm(h);
        var expected = h * 0.2 + ah * (0.2 * 0.8) + adjacency.mm(ah) * (0.8 * 0.8);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(Appnp.Propagate(h, DenseGraphs.SparseOperator(adjacency), 2, 0.2), expected) < 1e-12);
    }

    [TestMethod]
    public void MultiScaleConcatenatesEveryScaleBeforeProjecting()
    {
        torch.manual_seed(6);
        var adjacency = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(20, 0.2, 13)).to_type(ScalarType.Float32);
        var op = DenseGraphs.SparseOperator(adjacency);
        var module = new MultiScaleAppnp(4, MultiScaleAppnp.PaperScales);
        var h = randn(20, 4);
        var stacked = cat(MultiScaleAppnp.PaperScales.Select(s => Appnp.Propagate(h, op, s.Steps, s.Alpha)).ToArray(), 1);
        var projection = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = stacked.mm(projection["projection.weight"].t()) + projection["projection.bias"];
        Assert.AreEqual(12L, projection["projection.weight"].shape[1]);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(module.Forward(h, op), expected) < 1e-5);
    }

    [TestMethod]
    public void InvalidTeleportIsRejectedWithItsName()
    {
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Appnp.Propagate(zeros(2, 2), x => x, 2, 1.5));
        Assert.AreEqual("alpha", ex.ParamName);
    }
}
