using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.Praga;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Crct;

[TestClass]
[DoNotParallelize]   // seeds torch's process-wide generator (network init), which a concurrent test would advance
public class CrctObjectiveTests
{
    private sealed record Terms(float Reconstruction, float Augmented, float Graph, float Cluster, float Total, double Lambda, double Beta);

    // Epoch 6 of 20: λ = 0.3 and β = 1 act, ρ = 6/20·ρ₀ > 0, prototypes seeded on this first call.
    private static Terms TermsOf(CrctVariant variant, bool dropReal = false)
    {
        var (coords, mods, _) = CrctTestSection.Matrices();
        var options = new CrctOptions
        {
            Praga = new PragaOptions { ModalityColumns = new[] { "RNA", "ADT" }, Clusters = 3, Epochs = 20, Device = "cpu", Seed = 11 },
            Variant = variant,
            AugmentationMagnitude = 1.0,
            AugmentationWeight = StepSchedule.Constant(0.3),
            ClusterWeight = StepSchedule.Constant(1.0),
            DropRealReconstruction = dropReal,
        };
        options.Validate();
        using var objective = new CrctObjective(coords, mods, options, CPU);
        using var scope = NewDisposeScope();
        var t = objective.Losses(6);
        return new Terms(t.Reconstruction.item<float>(), t.Augmented.item<float>(), t.Graph.item<float>(), t.Cluster.item<float>(),
            t.Total.item<float>(), t.Lambda, t.Beta);
    }

    [TestMethod]
    public void EachAblationSwitchChangesOnlyItsTerm()
    {
        var praga = TermsOf(CrctVariant.Praga);
        var aug = TermsOf(CrctVariant.AugmentedReconstruction);
        var cluster = TermsOf(CrctVariant.AugmentedCluster);
        var full = TermsOf(CrctVariant.Full);

        // Terms no switch touches: bitwise equal across all four variants.
        foreach (var v in new[] { aug, cluster, full })
        {
            Assert.AreEqual(praga.Reconstruction, v.Reconstruction, 0f);
            Assert.AreEqual(praga.Graph, v.Graph, 0f);
        }
        // The reconstruction switch: L_aug exists only with it, identical whether or not the cluster switch is on.
        Assert.AreEqual(0f, praga.Augmented);
        Assert.AreEqual(0f, cluster.Augmented);
        Assert.IsTrue(aug.Augmented > 0f);
        Assert.AreEqual(aug.Augmented, full.Augmented, 0f);
        Assert.AreNotEqual(aug.Augmented, aug.Reconstruction, "decoding z̃ must differ from decoding z");
        // The cluster switch: the extended-set loss differs from the real-only one, and does not depend on the other switch.
        Assert.AreNotEqual(0f, praga.Cluster);   // negative when positives sit closer to their prototype than average
        Assert.AreEqual(praga.Cluster, aug.Cluster, 0f);
        Assert.AreEqual(cluster.Cluster, full.Cluster, 0f);
        Assert.AreNotEqual(praga.Cluster, full.Cluster);
        // Eq. 14.
        foreach (var v in new[] { praga, aug, cluster, full })
            Assert.AreEqual(v.Reconstruction + v.Graph + v.Lambda * v.Augmented + v.Beta * v.Cluster, v.Total, 1e-5 * Math.Abs(v.Total));
        Assert.AreEqual(0.0, praga.Lambda);
        Assert.AreEqual(0.3, full.Lambda);
    }

    [TestMethod]
    public void DroppingTheRealReconstructionRemovesOnlyL_rec()
    {
        var full = TermsOf(CrctVariant.Full);
        var dropped = TermsOf(CrctVariant.Full, dropReal: true);
        Assert.AreEqual(0f, dropped.Reconstruction);
        Assert.AreEqual(full.Augmented, dropped.Augmented, 0f);
        Assert.AreEqual(full.Graph, dropped.Graph, 0f);
        Assert.AreEqual(full.Cluster, dropped.Cluster, 0f);
    }

    [TestMethod]
    public void KMeansPrototypeMethodSeedsTheObjectivesPrototypesFromKMeans()
    {
        float[] PrototypesOf(CrctPrototypeMethod method)
        {
            var (coords, mods, _) = CrctTestSection.Matrices();
            var options = new CrctOptions
            {
                Praga = new PragaOptions { ModalityColumns = new[] { "RNA", "ADT" }, Clusters = 3, Epochs = 20, Device = "cpu", Seed = 11 },
                ClusterWeight = StepSchedule.Constant(1.0),
                Prototypes = method,
            };
            options.Validate();
            using var objective = new CrctObjective(coords, mods, options, CPU);
            using var scope = NewDisposeScope();
            objective.Losses(6);
            return objective.Prototypes!.data<float>().ToArray();
        }
        var mixture = PrototypesOf(CrctPrototypeMethod.GaussianMixture);
        var kmeans = PrototypesOf(CrctPrototypeMethod.KMeans);
        Assert.AreEqual(mixture.Length, kmeans.Length);
        CollectionAssert.AreNotEqual(mixture, kmeans);
        int d = kmeans.Length / 3;
        for (int k = 0; k < 3; k++)
            Assert.AreEqual(1.0, Math.Sqrt(kmeans.Skip(k * d).Take(d).Sum(v => (double)v * v)), 1e-5, "prototypes are unit rows");
        CollectionAssert.AreEqual(kmeans, PrototypesOf(CrctPrototypeMethod.KMeans), "the trainer's seed fixes the k-means prototypes");
    }

    [TestMethod]
    public void PresetsCarryTable1AndTheLambdaSchedules()
    {
        var hln = CrctOptions.ForDataset("hln", "RNA", "ADT");
        Assert.AreEqual(50, hln.Praga.Epochs);
        Assert.AreEqual(0.01, hln.Praga.LearningRate);
        Assert.AreEqual(5e-3, hln.Praga.WeightDecay);
        Assert.AreEqual(1.0, hln.AugmentationWeight.At(20));
        var sim = CrctOptions.ForDataset("simulation", "RNA", "ADT", "ATAC");
        // The simulation preset takes Table 1's 300 epochs but keeps PRAGA's Simulation lr and weight decay (documented deviation).
        var pragaSimulation = PragaOptions.Simulation("RNA", "ADT", "ATAC");
        Assert.AreEqual((pragaSimulation.LearningRate, pragaSimulation.WeightDecay), (sim.Praga.LearningRate, sim.Praga.WeightDecay));
        Assert.AreEqual((300, 0.001, 2e-2), (sim.Praga.Epochs, sim.Praga.LearningRate, sim.Praga.WeightDecay));
        Assert.IsFalse(sim.Praga.RandomFusionInit, "the shared core starts w_s = w_f = 0.5 unless asked for PRAGA's random draw");
        // The simulation reads Eq. 12 on the fused adjacency and searches split/merge moves in the head; elsewhere Eq. 12
        // regularises the feature graph and the head is mclust's EM alone.
        Assert.AreEqual(GraphReference.InitialFused, sim.GraphReference);
        Assert.IsTrue(sim.Praga.MixtureSplitMergeSearch);
        Assert.AreEqual(GraphReference.Initial, hln.GraphReference);
        Assert.IsFalse(hln.Praga.MixtureSplitMergeSearch);
        Assert.AreEqual(0.01, sim.AugmentationWeight.At(20));
        Assert.AreEqual(0.5, sim.AugmentationWeight.At(250));
        var mb = CrctOptions.ForDataset("MB", "RNA", "ATAC");
        Assert.AreEqual((200, 0.001, 2e-2), (mb.Praga.Epochs, mb.Praga.LearningRate, mb.Praga.WeightDecay));
        var spots = CrctOptions.ForDataset("spots", "RNA", "ADT");
        Assert.AreEqual((200, 0.01, 5e-3), (spots.Praga.Epochs, spots.Praga.LearningRate, spots.Praga.WeightDecay));
        var stereo = CrctOptions.ForDataset("stereo-cite-seq", "RNA", "ADT");
        Assert.AreEqual((300, 0.01, 5e-2), (stereo.Praga.Epochs, stereo.Praga.LearningRate, stereo.Praga.WeightDecay));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrctOptions.ForDataset("mars", "RNA")).Message, "mars");
        Assert.AreEqual(CrctVariant.AugmentedCluster, CrctVariantExtensions.Parse("L_cluster"));
        Assert.ThrowsExactly<ArgumentException>(() => CrctVariantExtensions.Parse("both"));
    }
}
