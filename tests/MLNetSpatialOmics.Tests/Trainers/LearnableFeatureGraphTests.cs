using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class LearnableFeatureGraphTests
{
    /// <summary>
    /// Refreshed degrees (row + column sums, negative pairs taken back) normalise exactly like the direct
    /// symmetrise-ReLU-normalise map, also when some weights are negative, some pairs negative on one side only, and
    /// a node is left with only its self-loop.
    /// </summary>
    [TestMethod]
    public void RefreshedDegreesMatchTheDirectNormalisation()
    {
        var s = SyntheticSection.Create(12, 3, new[] { 6 }, seed: 4);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 3, 5, CPU);
        var support = graphs.Features[0];
        long edges = support.EdgeCount;
        using var graph = new LearnableFeatureGraph(support);
        manual_seed(8);
        using (no_grad())
        {
            graph.Weights.add_(randn(edges) * 0.15);
            // Node 0 loses every off-diagonal edge (its pairs are negative from both sides).
            var touching = support.Rows.eq(0).logical_or(support.Cols.eq(0)).logical_and(support.Rows.ne(support.Cols)).nonzero().squeeze(1);
            graph.Weights.index_fill_(0, touching, -1.0);
        }
        using (var negative = graph.Weights.lt(0).sum()) Assert.IsTrue(negative.item<long>() > edges / 20, "too few negative weights to test the correction");
        graph.RefreshDegrees();
        using var all = arange(edges);
        using var refreshed = graph.ValuesFor(all);
        using var direct = graph.NormalizedValues();
        double gap = (refreshed - direct).abs().max().item<float>();
        Assert.IsTrue(gap < 1e-6, $"refreshed-degree values differ from the direct normalisation by {gap:G3}");
        // Node 0's row is its self-loop alone, at value 1.
        using var selfLoop = support.Rows.eq(0).logical_and(support.Cols.eq(0)).nonzero().squeeze(1);
        Assert.AreEqual(1.0, refreshed.index_select(0, selfLoop).item<float>(), 1e-6);
    }

    /// <summary>
    /// The CPU kernel for a block's edge values gives the torch-op values and weight gradients bit for bit, on a block
    /// large enough for its parallel passes, with negative weights (ReLU cut) and edges whose reverse is outside the block.
    /// </summary>
    [TestMethod]
    public void BlockEdgeKernelMatchesTheTorchOpsExactly()
    {
        var s = SyntheticSection.Create(130, 3, new[] { 6 }, seed: 5);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 3, 6, CPU);
        var support = graphs.Features[0];
        using var graph = new LearnableFeatureGraph(support);
        manual_seed(9);
        using (no_grad()) graph.Weights.add_(randn(support.EdgeCount) * 0.1);
        graph.RefreshDegrees();
        // Every edge but each fifth: distinct ascending ids, some reverse edges left out.
        using var ids = arange(support.EdgeCount).index_select(0, arange(support.EdgeCount).remainder(5).ne(0).nonzero().squeeze(1));
        Assert.IsTrue(ids.shape[0] > 100_000, $"block of {ids.shape[0]} edges is too small for the kernel's parallel passes");
        using var probe = randn(ids.shape[0]);

        var (kernelValues, kernelGrad) = ValuesAndGradient(graph, () => graph.ValuesFor(ids), probe);
        var (torchValues, torchGrad) = ValuesAndGradient(graph, () => graph.ValuesForWithTorchOps(ids), probe);
        Assert.IsTrue(kernelValues.equal(torchValues).all().item<bool>(), $"values differ by up to {(kernelValues - torchValues).abs().max().item<float>():G3}");
        Assert.IsTrue(kernelGrad.equal(torchGrad).all().item<bool>(), $"gradients differ by up to {(kernelGrad - torchGrad).abs().max().item<float>():G3}");
        using var negative = graph.Weights.lt(0).sum();
        Assert.IsTrue(negative.item<long>() > 0, "no negative weight: the ReLU cut went untested");
        using var touched = kernelGrad.ne(0).sum();
        Assert.IsTrue(touched.item<long>() > ids.shape[0], "the reverse scatter reached no edge outside the block");
    }

    private static (Tensor Values, Tensor Gradient) ValuesAndGradient(LearnableFeatureGraph graph, Func<Tensor> values, Tensor probe)
    {
        graph.Weights.grad = null;
        var v = values();
        (v * probe).sum().backward();
        using var grad = graph.Weights.grad!;
        return (v.detach().clone(), grad.clone());
    }

    /// <summary>
    /// Gradient steps through the symmetrised values keep exactly symmetric weights exactly symmetric (both edges of a
    /// pair get the same gradient), so the path that trusts symmetry and skips the reverse-weight reads trains the
    /// same weights, bit for bit, as the path that reads them — over steps on random half-blocks with momentum and decay.
    /// </summary>
    [TestMethod]
    public void GradientStepsKeepWeightsSymmetricSoTrustingSymmetryChangesNothing()
    {
        var s = SyntheticSection.Create(40, 3, new[] { 6 }, seed: 7);
        using var graphs = SectionGraphs.Build(s.Coordinates, s.Modalities, 3, 6, CPU);
        var support = graphs.Features[0];
        using var trusted = new LearnableFeatureGraph(support);
        using var reading = new LearnableFeatureGraph(support);
        Assert.IsTrue(trusted.WeightsAreSymmetric(), "the normalised feature graph's initial weights are not symmetric");
        trusted.TrustsSymmetricWeights = true;
        using var trustedSteps = new SgdStepper(trusted.parameters(), 0.5, 0.9, 0.02);
        using var readingSteps = new SgdStepper(reading.parameters(), 0.5, 0.9, 0.02);
        manual_seed(3);
        long edges = support.EdgeCount;
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            var (ids, _) = randperm(edges).narrow(0, 0, edges / 2).sort();
            var probe = randn(ids.shape[0]);
            foreach (var (graph, steps) in new[] { (trusted, trustedSteps), (reading, readingSteps) })
            {
                graph.RefreshDegrees();
                steps.ClearGradients();
                (graph.ValuesFor(ids) * probe).sum().backward();
                steps.Step();
            }
            Assert.IsTrue(reading.WeightsAreSymmetric(), $"step {step} made the weights asymmetric");
            Assert.IsTrue(trusted.Weights.equal(reading.Weights).all().item<bool>(), $"the two paths trained different weights at step {step}");
        }
        using var moved = (reading.Weights - support.Values).abs().max();
        Assert.IsTrue(moved.item<float>() > 0.01, "the weights hardly moved");
        using var negative = reading.Weights.lt(0).sum();
        Assert.IsTrue(negative.item<long>() > 0, "no weight went negative: the ReLU cut went untested");
    }
}
