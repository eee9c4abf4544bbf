using MLNetSpatialOmics.TorchSharp.Trsmi;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
public class FusedAdjacencyTests
{
    [TestMethod]
    public void FusedOperatorEqualsDenseRenormalisedWeightedSum()
    {
        var spatial = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(25, 0.15, 5)).to_type(ScalarType.Float32);
        var feature = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(25, 0.25, 6)).to_type(ScalarType.Float32);
        var fused = new NonNegativeFusedAdjacency(0.3, 1.7);
        var op = fused.Operator(DenseGraphs.SparseOperator(spatial), DenseGraphs.SparseOperator(feature));
        torch.manual_seed(1);
        var x = randn(25, 5);

        var sum = spatial * 0.3 + feature * 1.7;
        var reference = DenseGraphs.Normalized(sum).mm(x);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(op(x), reference) < 1e-5);
        Assert.AreEqual(0.3, fused.SpatialWeight().item<float>(), 1e-6);
    }

    [TestMethod]
    public void WeightsStayNonNegativeAndReceiveGradients()
    {
        var spatial = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(20, 0.2, 7)).to_type(ScalarType.Float32);
        var feature = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(20, 0.3, 8)).to_type(ScalarType.Float32);
        var fused = new NonNegativeFusedAdjacency();
        using (no_grad())
            foreach (var p in fused.parameters()) p.fill_(-30);   // far below zero before softplus
        Assert.IsTrue(fused.SpatialWeight().item<float>() >= 0 && fused.FeatureWeight().item<float>() >= 0);

        var fresh = new NonNegativeFusedAdjacency(1.0, 2.0);
        torch.manual_seed(2);
        var x = randn(20, 3);
        (fresh.Operator(DenseGraphs.SparseOperator(spatial), DenseGraphs.SparseOperator(feature))(x) * randn(20, 3)).sum().backward();
        foreach (var p in fresh.parameters())
            Assert.IsTrue(p.grad is not null && p.grad.abs().item<float>() > 0, "a fusion weight gets no gradient");
    }

    [TestMethod]
    public void AveragedRenormalisedGraphEqualsDenseReference()
    {
        var a = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(15, 0.3, 9));
        var b = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(15, 0.3, 10));
        var op = GraphOperators.SymmetricallyNormalized(GraphOperators.Average(new[] { DenseGraphs.SparseOperator(a), DenseGraphs.SparseOperator(b) }));
        var x = randn(15, 4, dtype: ScalarType.Float64);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(op(x), DenseGraphs.Normalized((a + b) / 2).mm(x)) < 1e-12);
    }
}
