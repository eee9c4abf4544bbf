using MLNetSpatialOmics.IO;
using System.Globalization;
using ScottPlot;

namespace MLNetSpatialOmics.Plotting;

/// <summary>Per-epoch training losses: one line per named term (total, reconstruction, contrastive, ...).</summary>
public static class LossCurvePlot
{
    /// <param name="terms">Named series, value k = loss after epoch k + 1. Non-finite values (a diverged step) are left out
    /// of the line; a series needs at least one finite value.</param>
    /// <param name="logScale">Log10 y axis; null = automatic (all values positive and spanning over two decades).</param>
    public static byte[] RenderPng(IEnumerable<(string Name, IReadOnlyList<double> Values)> terms, PlotOptions? options = null,
        bool? logScale = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var list = terms.ToList();
        if (list.Count == 0) throw new ArgumentException("there are no loss terms to plot; give at least one named series.", nameof(terms));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, values) in list)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a loss term has an empty name.", nameof(terms));
            if (!seen.Add(name)) throw new ArgumentException($"loss term '{name}' is given twice.", nameof(terms));
            if (values is null || values.Count == 0) throw new ArgumentException($"loss term '{name}' has no values (one per epoch expected).", nameof(terms));
            if (!values.Any(double.IsFinite)) throw new ArgumentException($"loss term '{name}' has no finite value.", nameof(terms));
        }
        options ??= new PlotOptions();
        var (width, height) = options.Size(900, 560);
        var finite = list.SelectMany(t => t.Values).Where(double.IsFinite).ToList();
        bool log = logScale ?? (finite.All(v => v > 0) && finite.Max() / finite.Min() > 100);
        if (log && finite.Any(v => v <= 0))
            throw new ArgumentException("a log-scale loss plot needs positive values; some loss terms are zero or negative.", nameof(logScale));

        var plot = PlotCanvas.NewPlot();
        try
        {
            int maxEpochs = list.Max(t => t.Values.Count);
            for (int s = 0; s < list.Count; s++)
            {
                var (name, values) = list[s];
                var xs = new List<double>();
                var ys = new List<double>();
                for (int e = 0; e < values.Count; e++)
                    if (double.IsFinite(values[e])) { xs.Add(e + 1); ys.Add(log ? Math.Log10(values[e]) : values[e]); }
                var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), LabelCategories.SlotColor(s));
                line.LineWidth = 2;
                line.LegendText = name;
                if (maxEpochs <= 60)
                {
                    line.MarkerShape = MarkerShape.FilledCircle;
                    line.MarkerSize = 5;
                }
            }
            plot.XLabel("epoch", 15);
            plot.YLabel(log ? "loss (log scale)" : "loss", 15);
            if (log)
            {
                plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
                {
                    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                    IntegerTicksOnly = true,
                    LabelFormatter = y => Math.Pow(10, y).ToString("g3", CultureInfo.InvariantCulture),
                };
            }
            plot.Legend.FontSize = 14;
            plot.ShowLegend(Edge.Right);
            plot.Title(options.Title ?? "Training loss", 18);
            plot.Axes.Title.Label.Bold = true;
            return PlotCanvas.RenderPng(width, height, null, new[] { plot });
        }
        finally
        {
            plot.Dispose();
        }
    }

    public static void Save(string path, IEnumerable<(string Name, IReadOnlyList<double> Values)> terms, PlotOptions? options = null,
        bool? logScale = null) =>
        AtomicFile.WriteAllBytes(path, RenderPng(terms, options, logScale));

    public static void Save(string path, IReadOnlyDictionary<string, IReadOnlyList<double>> terms, PlotOptions? options = null,
        bool? logScale = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Save(path, terms.Select(kv => (kv.Key, kv.Value)), options, logScale);
    }

    public static void Save(string path, IReadOnlyDictionary<string, double[]> terms, PlotOptions? options = null, bool? logScale = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Save(path, terms.Select(kv => (kv.Key, (IReadOnlyList<double>)kv.Value)), options, logScale);
    }
}
