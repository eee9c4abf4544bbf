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
}
