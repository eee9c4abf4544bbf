using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class MiniBatchGradientTests
{
    /// <summary>
    /// The reconstruction term is a mean over spots, so the share-weighted sum of the blocks' losses has exactly the
    /// full batch's gradient (at the epoch's weights, where the refreshed degrees are exact).
    /// </summary>
    [TestMethod]
    public void AccumulatedBlockGradientsEqualTheFullBatchGradient()
    {
        var s = SyntheticSection.Create(15, 3, new[] { 7, 5 }, seed: 9);
        var options = new PragaOptions { ModalityColumns = new[] { "A", "B" }, FeatureNeighbors = 6, BatchSize = 60, Seed = 1 };
        manual_seed(3);
        using var network = new PragaNetwork(new long[] { 7, 5 }, 8, randomFusionInit: true);
        var weights = new[] { 1.0, 3.0 };

        Dictionary<string, Tensor> Gradients(bool miniBatch)
        {
            using var section = new BatchedSection(s.Coordinates, s.Modalities, options, CPU, miniBatch);
            network.zero_grad();
            foreach (var batch in section.Batches(0))
            {
                using var scope = NewDisposeScope();
                var values = section.FeatureValues(batch);
                using var forward = network.Forward(batch, values);
                var loss = ReconstructionLoss.Weighted(batch.Targets, forward.Reconstructions, weights);
                (loss * ((double)batch.TargetCount / 225)).backward();
            }
            return network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        }

        var full = Gradients(false);
        var blocks = Gradients(true);
        foreach (var (name, g) in full)
            Assert.IsTrue(blocks[name].allclose(g, rtol: 1e-4, atol: 1e-6),
                $"{name}: block gradient differs (max |Δ| {(blocks[name] - g).abs().max().item<float>():G3})");
    }
}
