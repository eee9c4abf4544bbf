using System.Text.Json;
using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.Tests.Cli;

[TestClass]
public class SimulateEvaluateCliTests
{
    [TestMethod]
    public void SimulateWritesSectionsThatLoadBackAndEvaluateScoresTruthAgainstItself()
    {
        var dir = CliRunner.TempDir();
        try
        {
            var (code, output, err) = CliRunner.Run("simulate", "--out", dir, "--seed", "7", "--sections", "2");
            Assert.AreEqual(0, code, err);
            StringAssert.Contains(output, "1296 spots");
            foreach (var section in new[] { "section_0", "section_1" })
                foreach (var f in new[] { "adata_RNA.h5ad", "adata_ADT.h5ad", "adata_ATAC.h5ad", "truth.csv" })
                    Assert.IsTrue(File.Exists(Path.Combine(dir, section, f)), $"{section}/{f} missing");

            var loaded = SectionLoader.Load(new SectionLoadOptions
            {
                TruthCsvPath = Path.Combine(dir, "section_0", "truth.csv"),
                TruthCsvColumn = "domain",
            }.Add("RNA", Path.Combine(dir, "section_0", "adata_RNA.h5ad")).Add("ADT", Path.Combine(dir, "section_0", "adata_ADT.h5ad")));
            Assert.AreEqual(1296, loaded.Section.SpotCount);
            Assert.AreEqual(5, loaded.Section.Truth!.Distinct().Count());

            var json = Path.Combine(dir, "m.json");
            (code, output, err) = CliRunner.Run("evaluate", "--predicted", Path.Combine(dir, "section_0", "truth.csv"),
                "--predicted-column", "domain", "--truth", Path.Combine(dir, "section_1", "truth.csv"), "--json", "--metrics-json", json);
            Assert.AreEqual(0, code, err);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            foreach (var key in new[] { "mi", "nmi", "ami", "fmi", "ari", "v_measure", "homogeneity", "completeness", "f1", "jaccard" })
                Assert.IsTrue(doc.RootElement.TryGetProperty(key, out _), key);
            // Both sections share the ggblocks layout, so the truths agree exactly.
            Assert.AreEqual(1.0, doc.RootElement.GetProperty("ari").GetDouble(), 1e-12);
            StringAssert.Contains(output, "\"nmi\"");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void BadFlagsAndFilesExitWithCode2AndSayWhat()
    {
        var (code, _, err) = CliRunner.Run("simulate", "--out", "x", "--side", "abc");
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "--side");

        (code, _, err) = CliRunner.Run("simulate", "--bogus", "1");
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "--bogus");

        (code, _, err) = CliRunner.Run("frobnicate");
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "frobnicate");

        var missing = Path.Combine(Path.GetTempPath(), $"nope-{Guid.NewGuid():N}.csv");
        (code, _, err) = CliRunner.Run("evaluate", "--predicted", missing, "--truth", missing);
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, missing);

        (code, _, err) = CliRunner.Run("evaluate", "--truth", missing);
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "--predicted");
    }

    [TestMethod]
    public void HelpListsEveryCommandAndExitsZero()
    {
        var (code, output, _) = CliRunner.Run("--help");
        Assert.AreEqual(0, code);
        foreach (var c in MLNetSpatialOmics.Cli.SpatialOmicsTool.Commands) StringAssert.Contains(output, c.Name);
        (code, output, _) = CliRunner.Run("simulate", "--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "--sections");
    }
}
