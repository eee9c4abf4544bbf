using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Plotting;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Plotting;

[TestClass]
public class ScoredViewPlotsTests
{
    private static InMemoryDataView ScoredView(bool withTruth)
    {
        var sim = LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = 400, TileSide = 20, Features = LargeSectionFeatures.Reduced, Dimensions = 6 });
        var s = sim.Section;
        var cols = new List<InMemoryColumn>
        {
            InMemoryColumn.Text(SectionColumns.SpotId, s.SpotIds),
            InMemoryColumn.Single(SectionColumns.X, s.X.Select(v => (float)v).ToArray()),
            InMemoryColumn.Single(SectionColumns.Y, s.Y.Select(v => (float)v).ToArray()),
            // Key values are 1-based; 0 (missing) must come out as "unknown".
            InMemoryColumn.Key(SectionColumns.PredictedLabel, sim.Domains.Select((d, i) => i == 0 ? 0u : (uint)((d + 1) % 5 + 1)).ToArray(), 5),
            InMemoryColumn.Vector(SectionColumns.Embedding, s.GetModality("RNA").Dense!),
        };
        if (withTruth) cols.Add(InMemoryColumn.Int32(SectionColumns.Truth, sim.Domains));
        return new InMemoryDataView(cols);
    }

    [TestMethod]
    public void DomainMapAndEmbeddingComeStraightFromAScoredView()
    {
        var dir = Directory.CreateTempSubdirectory("scored-plots-");
        try
        {
            string map = Path.Combine(dir.FullName, "domains.png"), emb = Path.Combine(dir.FullName, "embedding.png");
            ScoredViewPlots.SaveDomainMap(map, ScoredView(withTruth: true));
            ScoredViewPlots.SaveEmbedding(emb, ScoredView(withTruth: false));
            Assert.AreEqual((1400, 640), PngImage.Header(File.ReadAllBytes(map)), "truth present → two panels");
            Assert.AreEqual((760, 640), PngImage.Header(File.ReadAllBytes(emb)), "no truth → one panel");
            var labels = ScoredViewPlots.ReadLabels(ScoredView(true), SectionColumns.PredictedLabel);
            Assert.IsNull(labels[0], "missing key = unknown");
            Assert.AreEqual("0", ScoredViewPlots.ReadLabels(ScoredView(true), SectionColumns.Truth)[0]);
        }
        finally { dir.Delete(recursive: true); }
    }

    [TestMethod]
    public void AMissingColumnIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            ScoredViewPlots.SaveDomainMap(Path.Combine(Path.GetTempPath(), "never.png"), ScoredView(true), predictedColumn: "Cluster"));
        StringAssert.Contains(e.Message, "'Cluster'");
    }
}
