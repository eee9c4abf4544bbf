using MLNetSpatialOmics.Plotting;
using ScottPlot;

namespace MLNetSpatialOmics.Tests.Plotting;

[TestClass]
public class PlotFontsTests
{
    [TestMethod]
    public void ScottPlotResolvesTheLibraryFamilyToTheEmbeddedFaces()
    {
        PlotFonts.EnsureRegistered();
        // The faces come from the assembly's resources, not from /usr/share/fonts.
        Assert.AreSame(PlotFonts.Regular, Fonts.GetTypeface(PlotFonts.FamilyName, bold: false, italic: false));
        Assert.AreSame(PlotFonts.Bold, Fonts.GetTypeface(PlotFonts.FamilyName, bold: true, italic: false));
        Assert.AreEqual("DejaVu Sans", PlotFonts.Regular.FamilyName);
        Assert.IsTrue(PlotFonts.Bold.IsBold);
    }

    [TestMethod]
    public void PlotsUseTheEmbeddedFamilyForEveryTextElement()
    {
        using var plot = new Plot();
        PlotFonts.Apply(plot);
        Assert.AreEqual(PlotFonts.FamilyName, plot.Axes.Title.Label.FontName);
        Assert.IsTrue(plot.Axes.Title.Label.Bold, "titles stay bold");
        Assert.AreEqual(PlotFonts.FamilyName, plot.Axes.Bottom.TickLabelStyle.FontName);
        Assert.AreEqual(PlotFonts.FamilyName, plot.Axes.Left.Label.FontName);
        Assert.AreEqual(PlotFonts.FamilyName, plot.Legend.FontName);
        Assert.IsFalse(plot.Legend.SetBestFontOnEachRender, "no per-render switch to a system font");
    }
}
