using MLNetSpatialOmics.TorchSharp.Trsmi;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class RprEncoderTests
{
    [TestMethod]
    public void FirstForwardWithZeroEnhancementEqualsThePlainGcnEncoder()
    {
        torch.manual_seed(3);
        var adjacency = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(40, 0.1, 1)).to_type(ScalarType.Float32);
        var propagate = DenseGraphs.SparseOperator(adjacency);
        var x = randn(40, 12);
        var rpr = new RprEncoder(12, 6, enabled: true);
        var plain = new RprEncoder(12, 6, enabled: false);
        using (no_grad()) plain.Weight.copy_(rpr.Weight);

        var z = rpr.Forward(x, propagate);
        // The plain one-layer GCN Â·(F·W), with RPR's row normalisation before and after the propagation.
        var reference = nn.functional.normalize(plain.Forward(x, h => propagate(nn.functional.normalize(h, p: 2, dim: 1))), p: 2, dim: 1);
        var independent = nn.functional.normalize(adjacency.mm(nn.functional.normalize(x.mm(rpr.Weight), p: 2, dim: 1)), p: 2, dim: 1);

        Assert.IsTrue(DenseGraphs.MaxAbsDifference(z, reference) < 1e-6, "RPR with Δ = 0 differs from the plain GCN encoder");
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(z, independent) < 1e-5, "RPR differs from the dense computation");
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(plain.Forward(x, propagate), adjacency.mm(x.mm(rpr.Weight))) < 1e-5,
            "the RPR-off encoder is not Â·(F·W)");
    }

    [TestMethod]
    public void ZeroInitialisedBranchStillLearns()
    {
        torch.manual_seed(4);
        var adjacency = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(30, 0.2, 2)).to_type(ScalarType.Float32);
        var rpr = new RprEncoder(8, 4);
        var z = rpr.Forward(randn(30, 8), DenseGraphs.SparseOperator(adjacency));
        (z * randn(30, 4)).sum().backward();
        Assert.IsTrue(rpr.Enhancement.weight!.grad!.abs().sum().item<float>() > 0, "Δ gets no gradient at zero init");
        Assert.AreEqual(0f, rpr.Enhancement.weight!.abs().sum().item<float>(), "Δ must start at zero");
    }
}
