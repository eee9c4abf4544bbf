using ScottPlot;
using SkiaSharp;

namespace MLNetSpatialOmics.Plotting;

/// <summary>Renders one or more ScottPlot panels side by side, under an optional figure title, into PNG bytes.</summary>
internal static class PlotCanvas
{
    private const float FigureTitleSize = 24;
    private const float FigureTitleBand = 44;

    public static byte[] RenderPng(int width, int height, string? title, IReadOnlyList<Plot> panels)
    {
        PlotFonts.EnsureRegistered();
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}×{height} drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        float top = 0;
        if (!string.IsNullOrWhiteSpace(title))
        {
            using var font = new SKFont(PlotFonts.Bold, FigureTitleSize);
            using var paint = new SKPaint { Color = new SKColor(34, 34, 34), IsAntialias = true };
            canvas.DrawText(title, width / 2f, FigureTitleBand - 12, SKTextAlign.Center, font, paint);
            top = FigureTitleBand;
        }
        // Each panel renders on its own surface: ScottPlot fills the whole canvas it is given with its background.
        int panelHeight = height - (int)top;
        for (int i = 0; i < panels.Count; i++)
        {
            int left = (int)Math.Round(i * width / (double)panels.Count);
            int right = (int)Math.Round((i + 1) * width / (double)panels.Count);
            using var panelSurface = SKSurface.Create(new SKImageInfo(right - left, panelHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException($"SkiaSharp could not create a {right - left}×{panelHeight} panel surface.");
            panels[i].Render(panelSurface.Canvas, right - left, panelHeight);
            panelSurface.Canvas.Flush();
            using var panelImage = panelSurface.Snapshot();
            canvas.DrawImage(panelImage, left, top);
        }
        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A plot with the library's font and plain white style.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        PlotFonts.Apply(plot);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        return plot;
    }

    /// <summary>Legend entries drawn by hand so the symbols stay readable however small the spots are.</summary>
    public static void AddCategoryLegend(Plot plot, LabelCategories categories)
    {
        plot.Legend.ManualItems.Clear();
        for (int c = 0; c < categories.Names.Length; c++)
        {
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{categories.Names[c]} ({categories.Counts[c]})",
                MarkerShape = MarkerShape.FilledCircle,
                MarkerSize = 12,
                MarkerFillColor = categories.ColorOf(c),
                MarkerLineColor = categories.ColorOf(c),
                LineWidth = 0,
            });
        }
        plot.Legend.FontSize = 14;
        plot.ShowLegend(Edge.Right);
    }
}
