using MLNetSpatialOmics.Plotting;
using MLNetSpatialOmics.Simulation;
using System.Security.Cryptography;

namespace MLNetSpatialOmics.Tests.Plotting;

[TestClass]
public class DomainMapPlotTests
{
    private static readonly Lazy<SimulatedSection> Sim = new(() => SpatialSimulator.Simulate(new SpatialSimulatorOptions
    {
        Side = 24, Modalities = new() { new ModalitySimulationOptions { FeatureCount = 5 } },
    }));

    private static string[] Predicted()
    {
        var rng = new SimulationRandom(7);
        return Sim.Value.Domains.Select(d => (rng.NextDouble() < 0.05 ? rng.NextInt(5) : (d + 2) % 5).ToString()).ToArray();
    }

    [TestMethod]
    public void SideBySideMapIsAPngOfTheRequestedSizeWithTitleText()
    {
        var s = Sim.Value.Section;
        var png = DomainMapPlot.RenderPng(s.X, s.Y, Predicted(), s.Truth, new PlotOptions { Width = 1000, Height = 480, Title = "Spatial domains" });
        Assert.AreEqual((1000, 480), PngImage.Header(png));
        using var bmp = PngImage.Decode(png);
        Assert.AreEqual(1000, bmp.Width);
        // The figure title band (top 44 px, centre) holds dark glyph pixels only if the embedded font rendered.
        int titleInk = PngImage.DarkPixels(bmp, 300, 0, 700, 44);
        Assert.IsGreaterThan(300, titleInk, "figure title text");
        // Both panels drew spots: the left and right halves each contain saturated colour.
        Assert.IsGreaterThan(10_000, ColouredPixels(bmp, 0, 500));
        Assert.IsGreaterThan(10_000, ColouredPixels(bmp, 500, 1000));
    }

    [TestMethod]
    public void DifferentTitleTextGivesDifferentPixelsAndTheSameInputGivesIdenticalBytes()
    {
        var s = Sim.Value.Section;
        var a = DomainMapPlot.RenderPng(s.X, s.Y, s.Truth!, options: new PlotOptions { Title = "Alpha" });
        var a2 = DomainMapPlot.RenderPng(s.X, s.Y, s.Truth!, options: new PlotOptions { Title = "Alpha" });
        var b = DomainMapPlot.RenderPng(s.X, s.Y, s.Truth!, options: new PlotOptions { Title = "Omega" });
        CollectionAssert.AreEqual(SHA256.HashData(a), SHA256.HashData(a2), "rendering is deterministic");
        using var ba = PngImage.Decode(a);
        using var bb = PngImage.Decode(b);
        int differing = 0;
        for (int y = 0; y < 44; y++)
            for (int x = 0; x < ba.Width; x++)
                if (ba.GetPixel(x, y) != bb.GetPixel(x, y)) differing++;
        Assert.IsGreaterThan(100, differing, "the title band must depend on the title text");
    }

    [TestMethod]
    public void SaveWritesAtomicallyAndOverwrites()
    {
        var dir = Directory.CreateTempSubdirectory("plots-");
        try
        {
            var s = Sim.Value.Section;
            string path = Path.Combine(dir.FullName, "map.png");
            File.WriteAllText(path, "old");
            DomainMapPlot.Save(path, s, Predicted());
            Assert.AreEqual((1400, 640), PngImage.Header(File.ReadAllBytes(path)), "section with truth → two panels, default size");
            CollectionAssert.AreEqual(new[] { "map.png" }, dir.GetFiles().Select(f => f.Name).ToArray(), "no temporary file left behind");
            var missing = Path.Combine(dir.FullName, "no-such-folder", "map.png");
            var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => DomainMapPlot.Save(missing, s.X, s.Y, s.Truth!));
            StringAssert.Contains(e.Message, "no-such-folder");
        }
        finally { dir.Delete(recursive: true); }
    }

    [TestMethod]
    public void BadInputsGiveClearErrors()
    {
        double[] x = { 0, 1, 2 }, y = { 0, 1, 2 };
        string[] labels = { "a", "b", "a" };
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => DomainMapPlot.RenderPng(x, new double[] { 0, 1 }, labels));
        StringAssert.Contains(e1.Message, "y has 2");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => DomainMapPlot.RenderPng(x, y, new[] { "a" }));
        Assert.AreEqual("predicted", e2.ParamName);
        StringAssert.Contains(e2.Message, "1 labels but there are 3");
        var e3 = Assert.ThrowsExactly<ArgumentException>(() => DomainMapPlot.RenderPng(x, y, labels, new[] { "a", "b" }));
        Assert.AreEqual("truth", e3.ParamName);
        var e4 = Assert.ThrowsExactly<ArgumentException>(() => DomainMapPlot.RenderPng(Array.Empty<double>(), Array.Empty<double>(), Array.Empty<string>()));
        StringAssert.Contains(e4.Message, "no spots");
        var e5 = Assert.ThrowsExactly<ArgumentException>(() => DomainMapPlot.RenderPng(new[] { 0, double.NaN, 2 }, y, labels));
        StringAssert.Contains(e5.Message, "spot 1");
        var e6 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => DomainMapPlot.RenderPng(x, y, labels, options: new PlotOptions { Width = 20 }));
        StringAssert.Contains(e6.Message, "width");
    }

    [TestMethod]
    public void UnknownAndStringLabelsAreAccepted()
    {
        double[] x = { 0, 1, 2, 3 }, y = { 0, 0, 1, 1 };
        var png = DomainMapPlot.RenderPng(x, y, new[] { "tumour", "stroma", null, "tumour" }, new string?[] { "T", "S", "S", null });
        Assert.AreEqual((1400, 640), PngImage.Header(png));
    }

    [TestMethod]
    public void AutoMarkerSizeMakesGridNeighboursTouch()
    {
        var s = Sim.Value.Section; // 24×24 grid spanning 4 units
        float size = DomainMapPlot.AutoMarkerSize(s.X, s.Y, 480, 480);
        // Estimated spacing √(area / N) = √(16 / 576) = 1/6 unit; 4 units over 480 px = 120 px per unit; drawn at 95%.
        Assert.AreEqual(0.95 * Math.Sqrt(16.0 / 576) * 120, size, 0.01);
    }

    private static int ColouredPixels(SkiaSharp.SKBitmap bmp, int left, int right)
    {
        int count = 0;
        for (int y = 0; y < bmp.Height; y += 2)
            for (int x = left; x < right; x += 2)
            {
                var c = bmp.GetPixel(x, y);
                int max = Math.Max(c.Red, Math.Max(c.Green, c.Blue)), min = Math.Min(c.Red, Math.Min(c.Green, c.Blue));
                if (max - min > 80) count++;
            }
        return count * 4;
    }
}
