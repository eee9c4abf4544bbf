using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.Scoring;

namespace MLNetSpatialOmics.Tests.Scoring;

/// <summary>What a user sees when the zip or the section is not what the model needs.</summary>
[TestClass]
public sealed class ScoringErrorTests
{
    private static readonly Lazy<(MLContext Ml, ITransformer Model, IDataView Train)> Fitted = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var train = RoundTripTests.Small(1, shuffle: false).ToDataView();
        return (ml, ScoreNewSection.Scenario.Pipeline(ml, epochs: 2, learningRate: 0.001).Fit(train), train);
    });

    private static string SavedModel() => RoundTripTests.SaveToTemp(Fitted.Value.Ml, Fitted.Value.Model, Fitted.Value.Train.Schema);

    [TestMethod]
    public void TruncatedPipelineZipIsRefusedNamingTheFile()
    {
        var path = SavedModel();
        try
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => SectionScorer.Load(new MLContext(), path));
            StringAssert.Contains(ex.Message, path);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void FlippedBytesInsideTheTrainerEntriesAreRefused()
    {
        var path = SavedModel();
        try
        {
            // Overwrite the PRAGA state entry with garbage of the same length: the zip stays valid, the state does not.
            using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
            {
                var entry = zip.Entries.Where(e => e.FullName.EndsWith("State.bin")).OrderByDescending(e => e.Length).First();
                string name = entry.FullName;
                long length = entry.Length;
                entry.Delete();
                using var s = zip.CreateEntry(name).Open();
                var junk = new byte[length];
                new Random(3).NextBytes(junk);
                s.Write(junk);
            }
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => SectionScorer.Load(new MLContext(), path));
            StringAssert.Contains(ex.Message, path);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void AnMlNetModelWithoutClustersCannotScoreASection()
    {
        // A valid ML.NET zip, written by ML.NET's own transforms only: it loads, but it assigns no clusters.
        var ml = new MLContext(seed: 1);
        var train = RoundTripTests.Small(1, shuffle: false).ToDataView();
        var other = ml.Transforms.NormalizeMinMax("ADT_mm", "ADT").Fit(train);
        var path = RoundTripTests.SaveToTemp(ml, other, train.Schema);
        try
        {
            var scorer = SectionScorer.Load(new MLContext(), path);
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => scorer.Score(RoundTripTests.Small(2, shuffle: true)));
            StringAssert.Contains(ex.Message, SectionColumns.PredictedLabel);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void SectionWithoutAModalityTheModelNeedsIsNamed()
    {
        var full = RoundTripTests.Small(2, shuffle: true);
        var withoutAdt = new SpatialSection(full.SpotIds, full.X, full.Y, full.Modalities.Where(m => m.Name != "ADT").ToArray(), full.Truth, "no-protein");
        var scorer = new SectionScorer(Fitted.Value.Ml, Fitted.Value.Model);
        CollectionAssert.IsSubsetOf(new[] { "RNA", "ADT", "ATAC" }, scorer.RequiredColumns.ToArray());
        var ex = Assert.ThrowsExactly<ArgumentException>(() => scorer.Score(withoutAdt));
        StringAssert.Contains(ex.Message, "'ADT'");
        StringAssert.Contains(ex.Message, "no-protein");
        Assert.IsFalse(ex.Message.Contains("'RNA'"), ex.Message);
    }

    [TestMethod]
    public void RequiredColumnsAreTheRawModalitiesNotIntermediates()
    {
        var scorer = new SectionScorer(Fitted.Value.Ml, Fitted.Value.Model);
        CollectionAssert.AreEquivalent(new[] { "RNA", "ADT", "ATAC", SectionColumns.X, SectionColumns.Y }, scorer.RequiredColumns.ToArray());
    }
}
