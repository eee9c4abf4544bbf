using System.Text.Json;
using MLNetSpatialOmics.IO;

namespace MLNetSpatialOmics.Tests.Cli;

[TestClass]
public class ClusterScoreCliTests
{
    [TestMethod]
    public void SimulateClusterSaveScoreAndEvaluateRoundTrip()
    {
        var dir = CliRunner.TempDir();
        try
        {
            var (code, _, err) = CliRunner.Run("simulate", "--out", dir, "--sections", "2", "--seed", "101");
            Assert.AreEqual(0, code, err);
            string S(int k, string f) => Path.Combine(dir, $"section_{k}", f);
            string[] Inputs(int k) => new[] { "--input", $"RNA={S(k, "adata_RNA.h5ad")}", "--input", $"ADT={S(k, "adata_ADT.h5ad")}" };

            var model = Path.Combine(dir, "model.zip");
            var result = Path.Combine(dir, "result.h5ad");
            var metrics = Path.Combine(dir, "metrics.json");
            var plot = Path.Combine(dir, "domains.png");
            (code, var output, err) = CliRunner.Run(Inputs(0).Concat(new[] { "--method", "praga", "--clusters", "5", "--epochs", "3",
                "--seed", "1", "--out", result, "--save-model", model, "--truth", S(0, "truth.csv"), "--truth-column", "domain",
                "--metrics-json", metrics, "--plot", plot }).Prepend("cluster").ToArray());
            Assert.AreEqual(0, code, err + output);
            StringAssert.Contains(output, "epoch");
            foreach (var f in new[] { result, Path.ChangeExtension(result, ".csv"), model, metrics, plot })
                Assert.IsTrue(File.Exists(f), f + " missing");
            var written = H5adReader.Read(result, new H5adReadOptions { ReadX = false, RequireX = false });
            Assert.AreEqual(1296, written.ObsCount);
            Assert.IsTrue(written.Obs.ContainsKey("cluster"));
            Assert.IsTrue(written.Obsm.ContainsKey("embedding"));
            var csvLines = File.ReadAllLines(Path.ChangeExtension(result, ".csv"));
            Assert.AreEqual("spot,cluster", csvLines[0]);
            Assert.AreEqual(1297, csvLines.Length);

            // evaluate on the written CSV reproduces the metrics cluster reported
            (code, output, err) = CliRunner.Run("evaluate", "--predicted", Path.ChangeExtension(result, ".csv"), "--truth", S(0, "truth.csv"), "--json");
            Assert.AreEqual(0, code, err);
            using (var a = JsonDocument.Parse(File.ReadAllText(metrics)))
            using (var b = JsonDocument.Parse(output))
                Assert.AreEqual(a.RootElement.GetProperty("ari").GetDouble(), b.RootElement.GetProperty("ari").GetDouble(), 1e-12);

            // score the second section with the saved model (no retraining)
            var scored = Path.Combine(dir, "scored.h5ad");
            (code, output, err) = CliRunner.Run(Inputs(1).Concat(new[] { "--model", model, "--out", scored, "--truth", S(1, "truth.csv") }).Prepend("score").ToArray());
            Assert.AreEqual(0, code, err + output);
            StringAssert.Contains(output, "ari");
            Assert.AreEqual(1296, File.ReadAllLines(Path.ChangeExtension(scored, ".csv")).Length - 1);

            // a section without a modality the model reads is refused with the column's name
            (code, _, err) = CliRunner.Run("score", "--model", model, "--input", $"RNA={S(1, "adata_RNA.h5ad")}", "--out", Path.Combine(dir, "x.h5ad"));
            Assert.AreEqual(2, code, err);
            StringAssert.Contains(err, "ADT");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void TrsmiRunsFromTheCliWithAnAblationSwitch()
    {
        var dir = CliRunner.TempDir();
        try
        {
            var (code, _, err) = CliRunner.Run("simulate", "--out", dir);
            Assert.AreEqual(0, code, err);
            var result = Path.Combine(dir, "trsmi.h5ad");
            (code, var output, err) = CliRunner.Run("cluster", "--input", $"RNA={Path.Combine(dir, "adata_RNA.h5ad")}",
                "--input", $"ADT={Path.Combine(dir, "adata_ADT.h5ad")}", "--method", "trsmi", "--clusters", "5", "--epochs", "2",
                "--disable", "align,schedbeta", "--out", result, "--quiet");
            Assert.AreEqual(0, code, err + output);
            Assert.AreEqual("", output, "--quiet prints nothing");
            Assert.AreEqual(1297, File.ReadAllLines(Path.ChangeExtension(result, ".csv")).Length);

            (code, _, err) = CliRunner.Run("cluster", "--input", $"RNA={Path.Combine(dir, "adata_RNA.h5ad")}", "--method", "trsmi",
                "--clusters", "5", "--disable", "warp", "--out", result);
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, "warp");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void CrctTrainsInMiniBatchesWhenAsked()
    {
        var dir = CliRunner.TempDir();
        try
        {
            var (code, _, err) = CliRunner.Run("simulate", "--out", dir);
            Assert.AreEqual(0, code, err);
            var result = Path.Combine(dir, "crct.h5ad");
            string[] inputs = { "--input", $"RNA={Path.Combine(dir, "adata_RNA.h5ad")}", "--input", $"ADT={Path.Combine(dir, "adata_ADT.h5ad")}" };
            (code, var output, err) = CliRunner.Run(inputs.Concat(new[] { "--method", "crct", "--clusters", "5", "--epochs", "3",
                "--mini-batch-above", "0", "--batch-size", "400", "--out", result, "--quiet" }).Prepend("cluster").ToArray());
            Assert.AreEqual(0, code, err + output);
            Assert.AreEqual(1297, File.ReadAllLines(Path.ChangeExtension(result, ".csv")).Length);

            (code, _, err) = CliRunner.Run(inputs.Concat(new[] { "--method", "praga", "--clusters", "5", "--batch-size", "0", "--out", result })
                .Prepend("cluster").ToArray());
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, "--batch-size");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void TrsmiTrainsInMiniBatchesWhenAsked()
    {
        var dir = CliRunner.TempDir();
        try
        {
            var (code, _, err) = CliRunner.Run("simulate", "--out", dir);
            Assert.AreEqual(0, code, err);
            string[] inputs = { "--input", $"RNA={Path.Combine(dir, "adata_RNA.h5ad")}", "--input", $"ADT={Path.Combine(dir, "adata_ADT.h5ad")}" };
            double[] Embedding(string name, params string[] extra)
            {
                var result = Path.Combine(dir, name);
                var (c, output, e) = CliRunner.Run(inputs.Concat(new[] { "--method", "trsmi", "--clusters", "5", "--epochs", "2",
                    "--out", result, "--quiet" }).Concat(extra).Prepend("cluster").ToArray());
                Assert.AreEqual(0, c, e + output);
                Assert.AreEqual(1297, File.ReadAllLines(Path.ChangeExtension(result, ".csv")).Length);
                return H5adReader.Read(result, new H5adReadOptions { ReadX = false, RequireX = false }).Obsm["embedding"].Data;
            }
            var full = Embedding("full.h5ad");
            var blocks = Embedding("blocks.h5ad", "--mini-batch-above", "0", "--batch-size", "400");
            // 1296 spots in blocks of ≤ 400 lose the edges across block borders: the flags reached the trainer.
            Assert.AreEqual(full.Length, blocks.Length);
            Assert.IsTrue(full.Zip(blocks).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "--batch-size / --mini-batch-above did not change TRSMI's training");
            // Above the section size the threshold keeps the full batch: the same embedding as without the flags.
            var above = Embedding("above.h5ad", "--mini-batch-above", "5000", "--batch-size", "400");
            CollectionAssert.AreEqual(full, above);

            (code, _, err) = CliRunner.Run(inputs.Concat(new[] { "--method", "trsmi", "--clusters", "5", "--batch-size", "0",
                "--out", Path.Combine(dir, "x.h5ad") }).Prepend("cluster").ToArray());
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, "--batch-size");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestMethod]
    public void ClusterRefusesBadArgumentsWithCode2()
    {
        var dir = CliRunner.TempDir();
        try
        {
            var missing = Path.Combine(dir, "nope.h5ad");
            var (code, _, err) = CliRunner.Run("cluster", "--input", $"RNA={missing}", "--method", "praga", "--clusters", "3", "--out", Path.Combine(dir, "r.h5ad"));
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, missing);

            (code, _, err) = CliRunner.Run("cluster", "--input", "RNA", "--method", "praga", "--clusters", "3", "--out", "r.h5ad");
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, "NAME=FILE");

            (code, _, err) = CliRunner.Run("cluster", "--input", $"RNA={missing}", "--method", "kmeans", "--clusters", "3", "--out", "r.h5ad");
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, "--method");

            (code, _, err) = CliRunner.Run("cluster", "--input", $"RNA={missing}", "--method", "praga", "--out", "r.h5ad");
            Assert.AreEqual(2, code);
            StringAssert.Contains(err, "--clusters");

            (code, _, err) = CliRunner.Run("score", "--model", Path.Combine(dir, "none.zip"), "--input", $"RNA={missing}", "--out", "r.h5ad");
            Assert.AreEqual(2, code);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
