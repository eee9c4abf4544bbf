using MLNetSpatialOmics.TorchSharp.Trsmi;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class FusedAdjacencyTests
{
    [TestMethod]
    public void FusedOperatorEqualsDenseRenormalisedWeightedSum()
    {
        var spatial = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(25, 0.15, 5)).to_type(ScalarType.Float32);
        var feature = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(25, 0.25, 6)).to_type(ScalarType.Float32);
        var fused = new NonNegativeFusedAdjacency(0.3, 1.7);
        torch.manual_seed(1);
        var x = randn(25, 5);
        var op = fused.Operator(DenseGraphs.SparseOperator(spatial), DenseGraphs.SparseOperator(feature), x);

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
        (fresh.Operator(DenseGraphs.SparseOperator(spatial), DenseGraphs.SparseOperator(feature), x)(x) * randn(20, 3)).sum().backward();
        foreach (var p in fresh.parameters())
            Assert.IsTrue(p.grad is not null && p.grad.abs().item<float>() > 0, "a fusion weight gets no gradient");
    }

    [TestMethod]
    public void AveragedRenormalisedGraphEqualsDenseReference()
    {
        var a = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(15, 0.3, 9));
        var b = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(15, 0.3, 10));
        var x = randn(15, 4, dtype: ScalarType.Float64);
        var op = GraphOperators.SymmetricallyNormalized(GraphOperators.Average(new[] { DenseGraphs.SparseOperator(a), DenseGraphs.SparseOperator(b) }), x);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(op(x), DenseGraphs.Normalized((a + b) / 2).mm(x)) < 1e-12);
    }

    [TestMethod]
    public void SparseGlobalGraphEqualsTheAveragedFusedOperators()
    {
        const int n = 18;
        var spatial = DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(n, 0.15, 14));
        var features = new[] { DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(n, 0.3, 15)), DenseGraphs.Normalized(DenseGraphs.RandomSymmetric(n, 0.25, 16)) };
        var fusions = new[] { new NonNegativeFusedAdjacency(0.4, 1.2), new NonNegativeFusedAdjacency(2.0, 0.7) };
        var x = randn(n, 3, dtype: ScalarType.Float64);
        static (Tensor R, Tensor C, Tensor V) Edges(Tensor dense)
        {
            var nz = dense.nonzero();
            var r = nz.select(1, 0).contiguous();
            var c = nz.select(1, 1).contiguous();
            return (r, c, dense.reshape(-1).index_select(0, r * dense.shape[1] + c));
        }
        var (sr, sc, sv) = Edges(spatial);
        var perModality = new List<IReadOnlyList<WeightedEdges>>();
        var operators = new List<Func<Tensor, Tensor>>();
        for (int m = 0; m < 2; m++)
        {
            var (fr, fc, fv) = Edges(features[m]);
            var w = fusions[m];
            perModality.Add(new[]
            {
                new WeightedEdges(sr, sc, sv, w.SpatialWeight().to_type(ScalarType.Float64)),
                new WeightedEdges(fr, fc, fv, w.FeatureWeight().to_type(ScalarType.Float64)),
            });
            var sw = w.SpatialWeight().to_type(ScalarType.Float64).item<double>();
            var fw = w.FeatureWeight().to_type(ScalarType.Float64).item<double>();
            operators.Add(DenseGraphs.SparseOperator(DenseGraphs.Normalized(spatial * sw + features[m] * fw)));
        }
        var global = GlobalGraph.Build(perModality, n);
        var reference = GraphOperators.SymmetricallyNormalized(GraphOperators.Average(operators), x)(x);
        Assert.IsTrue(global.is_sparse);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(mm(global, x), reference) < 1e-6);
    }
}
