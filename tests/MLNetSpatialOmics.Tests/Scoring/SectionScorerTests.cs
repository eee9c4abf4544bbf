using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Scoring;

namespace MLNetSpatialOmics.Tests.Scoring;

[TestClass]
public sealed class SectionScorerTests
{
    private static readonly Lazy<(MLContext Ml, ITransformer Model)> Fitted = new(() =>
    {
        var ml = new MLContext(seed: 1);
        return (ml, ScoreNewSection.Scenario.Pipeline(ml, epochs: 2, learningRate: 0.001).Fit(RoundTripTests.Small(1, shuffle: false).ToDataView()));
    });

    [TestMethod]
    public void ScoringAListEqualsScoringEachSectionAlone()
    {
        var scorer = new SectionScorer(Fitted.Value.Ml, Fitted.Value.Model);
        var sections = new[] { 3, 4, 5 }.Select(s => RoundTripTests.Small(s, shuffle: true)).ToArray();
        var all = scorer.ScoreAll(sections);
        Assert.AreEqual(3, all.Count);
        for (int k = 0; k < sections.Length; k++)
        {
            var alone = scorer.Score(sections[k]);
            Assert.AreEqual(sections[k].Name, all[k].Name);
            CollectionAssert.AreEqual(sections[k].SpotIds, all[k].SpotIds);
            CollectionAssert.AreEqual(alone.Labels, all[k].Labels);
            CollectionAssert.AreEqual(alone.Score!.Data, all[k].Score!.Data);
            Assert.IsTrue(all[k].Labels.All(l => l is >= 0 and < 5));
            // Score rows are posteriors and the label is their argmax.
            for (int i = 0; i < all[k].Labels.Length; i++)
            {
                var row = all[k].Score!.RowReadOnly(i).ToArray();
                Assert.AreEqual(1.0, row.Sum(), 1e-4);
                Assert.AreEqual(Array.IndexOf(row, row.Max()), all[k].Labels[i]);
            }
            // Metrics are the evaluator's on the same labels.
            var direct = Fitted.Value.Ml.Clustering.EvaluateSpatial(all[k].Data);
            Assert.AreEqual(direct.AdjustedRandIndex, all[k].Metrics!.AdjustedRandIndex);
        }
    }

    [TestMethod]
    public void ASectionWithoutTruthIsScoredWithoutMetrics()
    {
        var s = RoundTripTests.Small(6, shuffle: true);
        var unlabelled = new SpatialSection(s.SpotIds, s.X, s.Y, s.Modalities, truth: null, name: "unlabelled");
        var scored = new SectionScorer(Fitted.Value.Ml, Fitted.Value.Model).Score(unlabelled);
        Assert.IsNull(scored.Metrics);
        Assert.AreEqual(s.SpotCount, scored.Labels.Length);
        Assert.AreEqual(s.SpotCount, DataViewReader.CountRows(scored.Data));
    }
}
