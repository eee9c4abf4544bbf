using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.Praga;

namespace MLNetSpatialOmics.Tests.Trainers.Crct;

[TestClass]
[DoNotParallelize]   // seeds torch's process-wide generator (network init), which a concurrent test would advance
public class CrctTrainerTests
{
    private static CrctOptions Options(CrctVariant variant = CrctVariant.Full) => new()
    {
        Praga = new PragaOptions
        {
            ModalityColumns = new[] { "RNA", "ADT" }, Clusters = 3, Epochs = 100, LearningRate = 0.01, WeightDecay = 5e-3,
            PrototypeRefreshEvery = 20, Device = "cpu", Seed = 5,
        },
        Variant = variant,
        AugmentationWeight = new StepSchedule(new[] { 0.05, 0.5 }, new[] { 10 }),
        ClusterWeight = new StepSchedule(new[] { 0.0, 1.0 }, new[] { 20 }),
    };

    private static (float[] Embedding, uint[] Labels, float[] Score) Outputs(IDataView view)
    {
        var embedding = DataViewReader.ReadVectorColumn(view, SectionColumns.Embedding).Data.Select(v => (float)v).ToArray();
        var labels = new List<uint>();
        using (var cursor = view.GetRowCursor(new[] { view.Schema[SectionColumns.PredictedLabel] }))
        {
            var getter = cursor.GetGetter<uint>(view.Schema[SectionColumns.PredictedLabel]);
            uint v = 0;
            while (cursor.MoveNext()) { getter(ref v); labels.Add(v); }
        }
        var score = DataViewReader.ReadVectorColumn(view, SectionColumns.Score).Data.Select(v => (float)v).ToArray();
        return (embedding, labels.ToArray(), score);
    }

    // The paper's default schedules (λ 0.01 until epoch 100, β = 0 until epoch 100) over 100 epochs.
    [TestMethod]
    public void FitsTheTestSectionDeterministicallyAndRecoversItsDomains()
    {
        var context = new MLContext(seed: 1);
        var section = CrctTestSection.View();
        CrctOptions Defaults()
        {
            var o = Options();
            o.AugmentationWeight = StepSchedule.DefaultAugmentation();
            o.ClusterWeight = StepSchedule.DefaultCluster();
            // Pseudo-labels from split/merge prototypes. With plain mixture prototypes (PRAGA's default since it
            // turned split/merge off) this toy section lands at 0.59 best-match accuracy for PRAGA and CRCT alike.
            o.Praga.SplitMerge = true;
            return o;
        }
        var model = context.Clustering.Trainers.Crct(Defaults()).Fit(section);
        var first = Outputs(model.Transform(section));
        var again = Outputs(new CrctTrainer(context, Defaults()).Fit(section).Transform(section));

        CollectionAssert.AreEqual(first.Labels, again.Labels);
        CollectionAssert.AreEqual(first.Embedding, again.Embedding);
        Assert.AreEqual(100, model.TrainingHistory.Count);
        Assert.AreEqual(model.LatentDimension * section.GetRowCount(), first.Embedding.Length);
        var truth = CrctTestSection.Matrices().Truth;
        double accuracy = CrctTestSection.BestMatchAccuracy(first.Labels.Select(l => (int)l - 1).ToArray(), truth);
        Assert.IsTrue(accuracy >= 0.9, $"best-match accuracy {accuracy:F3}");
    }

    [TestMethod]
    public void ScheduledTermsSwitchOnAtTheirEpochs()
    {
        var options = Options();
        options.Praga.Epochs = 30;
        var model = new CrctTrainer(new MLContext(seed: 1), options).Fit(CrctTestSection.View());
        var history = model.TrainingHistory;
        Assert.AreEqual(30, history.Count);
        Assert.IsTrue(history.Take(20).All(p => p.Beta == 0 && p.Cluster == 0), "β = 0 before epoch 20");
        Assert.IsTrue(history.Skip(20).All(p => p.Beta == 1 && p.Cluster != 0), "β = 1 and the cluster term from epoch 20");
        Assert.IsTrue(history.Take(10).All(p => p.Lambda == 0.05) && history.Skip(10).All(p => p.Lambda == 0.5));
        Assert.IsTrue(history.All(p => p.Augmented > 0));
        for (int t = 0; t < history.Count; t++) Assert.AreEqual(0.5 * t / 30, history[t].Rho, 1e-12);
    }

    [TestMethod]
    public void SavedStateReloadsToTheSameOutputs()
    {
        var context = new MLContext(seed: 1);
        var section = CrctTestSection.View();
        var options = Options(CrctVariant.AugmentedCluster);
        options.Praga.Epochs = 5;
        var model = new CrctTrainer(context, options).Fit(section);
        var writer = new ModelStateWriter();
        model.SaveState(writer);
        var loaded = CrctTransformer.LoadState(context, ModelStateReader.FromBytes(writer.ToBytes()));
        Assert.AreEqual(CrctVariant.AugmentedCluster, loaded.Variant);
        var a = Outputs(model.Transform(section));
        var b = Outputs(loaded.Transform(section));
        CollectionAssert.AreEqual(a.Labels, b.Labels);
        CollectionAssert.AreEqual(a.Score, b.Score);
        // Another section (different noise) is embedded with the trained weights, not the stored training embedding.
        var other = Outputs(loaded.Transform(CrctTestSection.View(seed: 9)));
        CollectionAssert.AreNotEqual(a.Embedding, other.Embedding);
    }

    [TestMethod]
    public void MissingColumnsAndInconsistentOptionsGiveClearErrors()
    {
        var context = new MLContext(seed: 1);
        var options = Options();
        options.Praga.ModalityColumns = new[] { "RNA", "ATAC" };
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new CrctTrainer(context, options).Fit(CrctTestSection.View()));
        StringAssert.Contains(ex.Message, "ATAC");
        var bad = Options(CrctVariant.AugmentedCluster);
        bad.DropRealReconstruction = true;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CrctTrainer(context, bad)).Message, nameof(CrctOptions.DropRealReconstruction));
    }
}
