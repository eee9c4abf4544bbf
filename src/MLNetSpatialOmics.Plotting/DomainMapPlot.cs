using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Data;
using ScottPlot;

namespace MLNetSpatialOmics.Plotting;

/// <summary>Spatial domain maps: every spot at its coordinates, one colour per cluster, legend with spot counts.</summary>
public static class DomainMapPlot
{
    /// <summary>PNG bytes of the predicted domains, with the truth panel beside them when <paramref name="truth"/> is given
    /// (predicted colours are matched to the truth domains they overlap most).</summary>
    public static byte[] RenderPng(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<string?> predicted,
        IReadOnlyList<string?>? truth = null, PlotOptions? options = null)
    {
        PlotInput.Coordinates(x, y);
        PlotInput.Labels(predicted, x.Count, nameof(predicted), "spots");
        if (truth is not null) PlotInput.Labels(truth, x.Count, nameof(truth), "spots");
        options ??= new PlotOptions();
        int panels = truth is null ? 1 : 2;
        var (width, height) = options.Size(panels == 1 ? 760 : 1400, 640);

        var predictedCats = LabelCategories.From(predicted);
        var panelsList = new List<Plot>();
        float titleBand = string.IsNullOrWhiteSpace(options.Title) ? 0 : 44;
        if (truth is not null)
        {
            var truthCats = LabelCategories.From(truth);
            predictedCats.MatchColorsTo(truthCats);
            panelsList.Add(Panel(x, y, predictedCats, options.PredictedTitle ?? "Predicted domains", options, width / panels, height - titleBand));
            panelsList.Add(Panel(x, y, truthCats, options.TruthTitle ?? "Ground truth", options, width / panels, height - titleBand));
        }
        else
        {
            panelsList.Add(Panel(x, y, predictedCats, options.PredictedTitle ?? "Predicted domains", options, width, height - titleBand));
        }
        try
        {
            return PlotCanvas.RenderPng(width, height, options.Title, panelsList);
        }
        finally
        {
            foreach (var p in panelsList) p.Dispose();
        }
    }

    public static void Save(string path, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<string?> predicted,
        IReadOnlyList<string?>? truth = null, PlotOptions? options = null) =>
        AtomicFile.WriteAllBytes(path, RenderPng(x, y, predicted, truth, options));

    public static void Save(string path, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> predicted,
        IReadOnlyList<int>? truth = null, PlotOptions? options = null) =>
        Save(path, x, y, PlotInput.ToStrings(predicted), truth is null ? null : PlotInput.ToStrings(truth), options);

    /// <summary>Domain map of a section: its coordinates, the predicted labels, and its truth labels when it has them.</summary>
    public static void Save(string path, SpatialSection section, IReadOnlyList<string?> predicted, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        var effective = options?.Clone() ?? new PlotOptions();
        effective.Title ??= section.Name;
        Save(path, section.X, section.Y, predicted, section.Truth, effective);
    }

    private static Plot Panel(IReadOnlyList<double> x, IReadOnlyList<double> y, LabelCategories cats, string title,
        PlotOptions options, float panelWidth, float panelHeight)
    {
        var plot = PlotCanvas.NewPlot();
        plot.Title(title, 18);
        plot.Axes.Title.Label.Bold = true;
        float marker = options.MarkerSize ?? AutoMarkerSize(x, y, panelWidth - 190, panelHeight - 110);
        for (int c = 0; c < cats.Names.Length; c++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < cats.IndexOfPoint.Length; i++)
                if (cats.IndexOfPoint[i] == c) { xs.Add(x[i]); ys.Add(y[i]); }
            var sp = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), cats.ColorOf(c));
            sp.MarkerShape = MarkerShape.FilledCircle;
            sp.MarkerSize = marker;
            sp.MarkerLineWidth = 0;
        }
        PlotCanvas.AddCategoryLegend(plot, cats);
        plot.HideGrid();
        plot.Axes.SquareUnits();
        if (options.InvertY) plot.Axes.InvertY();
        plot.Axes.Margins(0.03, 0.03);
        return plot;
    }

    /// <summary>Spots on a grid or hex lattice are about √(area / N) apart; draw them that wide so they tile the tissue.</summary>
    internal static float AutoMarkerSize(IReadOnlyList<double> x, IReadOnlyList<double> y, float dataWidthPx, float dataHeightPx)
    {
        double minX = x.Min(), maxX = x.Max(), minY = y.Min(), maxY = y.Max();
        double rangeX = Math.Max(maxX - minX, 1e-12), rangeY = Math.Max(maxY - minY, 1e-12);
        if (maxX - minX <= 0 && maxY - minY <= 0) return 8;
        if (maxX - minX <= 0) rangeX = rangeY;
        if (maxY - minY <= 0) rangeY = rangeX;
        double spacing = Math.Sqrt(rangeX * rangeY / x.Count);
        double pxPerUnit = Math.Min(Math.Max(dataWidthPx, 50) / rangeX, Math.Max(dataHeightPx, 50) / rangeY);
        return (float)Math.Clamp(spacing * pxPerUnit * 0.95, 1.0, 30.0);
    }
}
