using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Plotting;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Plotting;

[TestClass]
public class EmbeddingAndLossPlotTests
{
    private static (string, IReadOnlyList<double>)[] LossTerms(int epochs) => new (string, IReadOnlyList<double>)[]
    {
        ("total", Enumerable.Range(0, epochs).Select(e => 5 * Math.Exp(-e / 30.0) + 0.3).ToArray()),
        ("reconstruction", Enumerable.Range(0, epochs).Select(e => 4 * Math.Exp(-e / 25.0) + 0.2).ToArray()),
        ("contrastive", Enumerable.Range(0, epochs).Select(e => 0.01 + 0.5 * Math.Exp(-e / 60.0)).ToArray()),
    };

    [TestMethod]
    public void EmbeddingScatterIsAPngWithAxisText()
    {
        var sim = LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = 1500, Features = LargeSectionFeatures.Reduced, Dimensions = 8 });
        var emb = sim.Section.GetModality("RNA").Dense!;
        var png = EmbeddingPlot.RenderPng(emb, sim.Section.Truth!, options: new PlotOptions { Width = 800, Height = 600 });
        Assert.AreEqual((800, 600), PngImage.Header(png));
        using var bmp = PngImage.Decode(png);
        // The x-axis label ("PC1 (..% of variance)") sits in the bottom band under the data area.
        Assert.IsGreaterThan(150, PngImage.DarkPixels(bmp, 150, 570, 550, 600), "x-axis label text");
        var both = EmbeddingPlot.RenderPng(emb, sim.Domains.Select(d => ((d + 1) % 5).ToString()).ToArray(), sim.Section.Truth);
        Assert.AreEqual((1400, 640), PngImage.Header(both));
    }

    [TestMethod]
    public void DegenerateEmbeddingsStillRender()
    {
        // One column (PC2 is zero everywhere) and a constant embedding (no variance at all).
        var one = new DenseMatrix(50, 1);
        for (int i = 0; i < 50; i++) one[i, 0] = i % 7;
        var labels = Enumerable.Range(0, 50).Select(i => (i % 3).ToString()).ToArray();
        Assert.AreEqual((760, 640), PngImage.Header(EmbeddingPlot.RenderPng(one, labels)));
        Assert.AreEqual((760, 640), PngImage.Header(EmbeddingPlot.RenderPng(new DenseMatrix(50, 4), labels)));
    }

    [TestMethod]
    public void EmbeddingBadInputsGiveClearErrors()
    {
        var emb = new DenseMatrix(3, 2);
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => EmbeddingPlot.RenderPng(emb, new[] { "a", "b" }));
        Assert.AreEqual("labels", e1.ParamName);
        StringAssert.Contains(e1.Message, "3 embedding rows");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => EmbeddingPlot.RenderPng(new DenseMatrix(0, 2), Array.Empty<string>()));
        StringAssert.Contains(e2.Message, "no rows");
    }

    [TestMethod]
    public void LossCurveMatchesTheGoldenImage()
    {
        // Golden rendered by this library with the embedded font (Golden/loss_curve.png). Anti-aliasing may differ in the
        // last bits between CPU code paths of Skia, so pixels are compared with a tolerance; a plot without its text,
        // legend or a line differs in well over 1% of pixels.
        var png = LossCurvePlot.RenderPng(LossTerms(200), new PlotOptions { Width = 640, Height = 400 });
        string golden = Path.Combine(AppContext.BaseDirectory, "Plotting", "Golden", "loss_curve.png");
        Assert.IsTrue(File.Exists(golden), $"golden image missing: {golden}");
        using var actual = PngImage.Decode(png);
        using var expected = PngImage.Decode(File.ReadAllBytes(golden));
        Assert.AreEqual(expected.Width, actual.Width);
        Assert.AreEqual(expected.Height, actual.Height);
        int differing = 0;
        for (int y = 0; y < actual.Height; y++)
            for (int x = 0; x < actual.Width; x++)
            {
                var a = actual.GetPixel(x, y);
                var b = expected.GetPixel(x, y);
                if (Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) > 96) differing++;
            }
        Assert.IsLessThan(0.002 * actual.Width * actual.Height, differing, $"{differing} pixels differ from the golden image");
    }

    [TestMethod]
    public void LossCurveTextIsPresentAndLinearScaleWorks()
    {
        var png = LossCurvePlot.RenderPng(LossTerms(30), new PlotOptions { Title = "CRCT on the triplet simulation" }, logScale: false);
        Assert.AreEqual((900, 560), PngImage.Header(png));
        using var bmp = PngImage.Decode(png);
        Assert.IsGreaterThan(300, PngImage.DarkPixels(bmp, 200, 0, 700, 40), "title text");
        // A NaN epoch is left out of its line instead of failing the plot.
        var withNaN = LossTerms(10);
        ((double[])withNaN[0].Item2)[4] = double.NaN;
        PngImage.Header(LossCurvePlot.RenderPng(withNaN));
    }

    [TestMethod]
    public void LossCurveBadInputsGiveClearErrors()
    {
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => LossCurvePlot.RenderPng(Array.Empty<(string, IReadOnlyList<double>)>()));
        StringAssert.Contains(e1.Message, "no loss terms");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => LossCurvePlot.RenderPng(new (string, IReadOnlyList<double>)[] { ("recon", Array.Empty<double>()) }));
        StringAssert.Contains(e2.Message, "'recon' has no values");
        var e3 = Assert.ThrowsExactly<ArgumentException>(() => LossCurvePlot.RenderPng(new (string, IReadOnlyList<double>)[] { ("a", new[] { 1.0 }), ("a", new[] { 2.0 }) }));
        StringAssert.Contains(e3.Message, "twice");
        var e4 = Assert.ThrowsExactly<ArgumentException>(() => LossCurvePlot.RenderPng(new (string, IReadOnlyList<double>)[] { ("a", new[] { 1.0, -1 }) }, logScale: true));
        StringAssert.Contains(e4.Message, "positive");
    }
}
