using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Scoring;

namespace MLNetSpatialOmics.Tests.Scoring;

/// <summary>A zip saved here is loaded and scored by examples/ScoreNewSection in another process: same ids, same embedding.</summary>
[TestClass]
public sealed class FreshProcessTests
{
    [TestMethod]
    public void ExampleLoadsTheZipInANewProcessAndReproducesTheScores()
    {
        var ml = new MLContext(seed: 1);
        var train = RoundTripTests.Small(1, shuffle: false).ToDataView();
        var model = ScoreNewSection.Scenario.Pipeline(ml, epochs: 4, learningRate: 0.001).Fit(train);
        var path = RoundTripTests.SaveToTemp(ml, model, train.Schema);
        var output = path + ".tsv";
        try
        {
            var exe = Path.Combine(AppContext.BaseDirectory, "ScoreNewSection.dll");
            Assert.IsTrue(File.Exists(exe), $"{exe} is missing: the test project references examples/ScoreNewSection");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { exe, "score", path, "5", RoundTripTests.Side.ToString(CultureInfo.InvariantCulture),
                         RoundTripTests.FeatureDivisor.ToString(CultureInfo.InvariantCulture), output })
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.IsTrue(process.WaitForExit(120_000), "the example did not finish in 2 minutes");
            Assert.AreEqual(0, process.ExitCode, $"exit {process.ExitCode}: {stdout} {stderr.Result}");

            var section = ScoreNewSection.Scenario.Section(5, shuffle: true, RoundTripTests.Side, RoundTripTests.FeatureDivisor).Section;
            var here = new SectionScorer(ml, model).Score(section);
            var embedding = DataViewReader.ReadVectorColumn(here.Data, SectionColumns.Embedding);
            var rows = File.ReadAllLines(output);
            Assert.AreEqual(section.SpotCount, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                var f = rows[i].Split('\t');
                Assert.AreEqual(here.SpotIds![i], f[0]);
                Assert.AreEqual(here.Labels[i], int.Parse(f[1], CultureInfo.InvariantCulture), $"cluster of row {i}");
                Assert.AreEqual(embedding.Cols, f.Length - 2);
                for (int k = 0; k < embedding.Cols; k++)
                    Assert.AreEqual(embedding[i, k], float.Parse(f[k + 2], CultureInfo.InvariantCulture), 1e-6, $"embedding[{i},{k}]");
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(output);
        }
    }
}
