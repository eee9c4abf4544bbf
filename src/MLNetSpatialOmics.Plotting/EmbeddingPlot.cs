using MLNetSpatialOmics.IO;
using System.Globalization;
using MLNetSpatialOmics.Numerics;
using ScottPlot;

namespace MLNetSpatialOmics.Plotting;

/// <summary>The embedding projected on its first two principal components, one colour per cluster.</summary>
public static class EmbeddingPlot
{
    /// <summary>PNG bytes; with <paramref name="truth"/> a second panel colours the same points by truth.</summary>
    public static byte[] RenderPng(DenseMatrix embedding, IReadOnlyList<string?> labels, IReadOnlyList<string?>? truth = null,
        PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (embedding.Rows == 0) throw new ArgumentException("the embedding has no rows (no spots to plot).", nameof(embedding));
        PlotInput.Labels(labels, embedding.Rows, nameof(labels), "embedding rows");
        if (truth is not null) PlotInput.Labels(truth, embedding.Rows, nameof(truth), "embedding rows");
        options ??= new PlotOptions();
        int panels = truth is null ? 1 : 2;
        var (width, height) = options.Size(panels == 1 ? 760 : 1400, 640);
        var pca = PrincipalComponents2D.Fit(embedding);
        var cats = LabelCategories.From(labels);
        var plots = new List<Plot>();
        if (truth is not null)
        {
            var truthCats = LabelCategories.From(truth);
            cats.MatchColorsTo(truthCats);
            plots.Add(Panel(pca, cats, options.PredictedTitle ?? "Embedding (PCA) by cluster", options));
            plots.Add(Panel(pca, truthCats, options.TruthTitle ?? "Embedding (PCA) by ground truth", options));
        }
        else plots.Add(Panel(pca, cats, options.PredictedTitle ?? "Embedding (PCA) by cluster", options));
        try
        {
            return PlotCanvas.RenderPng(width, height, options.Title, plots);
        }
        finally
        {
            foreach (var p in plots) p.Dispose();
        }
    }

    public static void Save(string path, DenseMatrix embedding, IReadOnlyList<string?> labels, IReadOnlyList<string?>? truth = null,
        PlotOptions? options = null) =>
        AtomicFile.WriteAllBytes(path, RenderPng(embedding, labels, truth, options));

    public static void Save(string path, DenseMatrix embedding, IReadOnlyList<int> labels, IReadOnlyList<int>? truth = null,
        PlotOptions? options = null) =>
        Save(path, embedding, PlotInput.ToStrings(labels), truth is null ? null : PlotInput.ToStrings(truth), options);

    private static Plot Panel(PrincipalComponents2D pca, LabelCategories cats, string title, PlotOptions options)
    {
        var plot = PlotCanvas.NewPlot();
        plot.Title(title, 18);
        plot.Axes.Title.Label.Bold = true;
        int n = pca.Pc1.Length;
        float marker = options.MarkerSize ?? (n <= 2_000 ? 6f : n <= 20_000 ? 4f : n <= 200_000 ? 2f : 1f);
        for (int c = 0; c < cats.Names.Length; c++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < n; i++)
                if (cats.IndexOfPoint[i] == c) { xs.Add(pca.Pc1[i]); ys.Add(pca.Pc2[i]); }
            var sp = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), cats.ColorOf(c).WithAlpha(0.8));
            sp.MarkerShape = MarkerShape.FilledCircle;
            sp.MarkerSize = marker;
            sp.MarkerLineWidth = 0;
        }
        PlotCanvas.AddCategoryLegend(plot, cats);
        plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"PC1 ({100 * pca.ExplainedRatio1:F1}% of variance)"), 15);
        plot.YLabel(string.Create(CultureInfo.InvariantCulture, $"PC2 ({100 * pca.ExplainedRatio2:F1}% of variance)"), 15);
        plot.Axes.Margins(0.04, 0.04);
        return plot;
    }
}
