using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Plotting;

namespace MLNetSpatialOmics.Cli;

/// <summary>What <c>cluster</c> and <c>score</c> share: reading a section from files and writing a scored one out.</summary>
internal static class SectionJob
{
    public static readonly string[] InputOptions = { "--input", "--layer", "--truth", "--truth-column" };
    public static readonly string[] OutputOptions = { "--out", "--metrics-json", "--plot", "--plot-embedding" };

    public static LoadedSection Load(ArgumentReader a, CliConsole console)
    {
        var inputs = a.Pairs("--input");
        if (inputs.Count == 0) throw new CliUsageException("option '--input' is required (e.g. --input RNA=adata_RNA.h5ad --input ADT=adata_ADT.h5ad).");
        string? layer = a.Optional("--layer");
        var options = new SectionLoadOptions { TruthCsvPath = a.Optional("--truth"), TruthCsvColumn = a.Optional("--truth-column") };
        if (options.TruthCsvColumn is not null && options.TruthCsvPath is null)
            throw new CliUsageException("--truth-column needs --truth FILE.csv.");
        foreach (var (name, path) in inputs)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"--input {name}: file '{path}' does not exist.", path);
            options.Add(name, path, layer);
        }
        var loaded = SectionLoader.Load(options);
        var s = loaded.Section;
        console.Info($"section: {s.SpotCount} spots; {string.Join(", ", s.Modalities.Select(m => $"{m.Name} {m.FeatureCount} features"))}" +
            (loaded.Report.TotalDropped > 0 ? $"; {loaded.Report.TotalDropped} spots dropped (not in every file)" : "") +
            (s.Truth is null ? "" : $"; truth for {s.Truth.Count(t => t is not null)} spots"));
        return loaded;
    }

    /// <summary>Writes result.h5ad + result.csv, metrics and plots for a scored view; returns the metrics (null without truth).</summary>
    public static SpatialClusteringMetrics? WriteOutputs(MLContext ml, ArgumentReader a, IDataView scored, SpatialSection section,
        string method, CliConsole console, IReadOnlyDictionary<string, object>? extraMetadata = null)
    {
        string outPath = a.Required("--out");
        string? metricsJson = a.Optional("--metrics-json");
        string? plot = a.Optional("--plot");
        string? plotEmbedding = a.Optional("--plot-embedding");

        var clusters = DataViewReader.ReadTextColumn(scored, SectionColumns.PredictedLabel);
        var embedding = DataViewReader.ReadVectorColumn(scored, SectionColumns.Embedding);
        SpatialClusteringMetrics? metrics = null;
        if (section.Truth is not null)
        {
            metrics = SpatialClusteringEvaluator.Evaluate(section.Truth, clusters);
            console.Info(EvaluateCommandTable(metrics));
            if (metricsJson is not null) AtomicFile.WriteAllText(metricsJson, metrics.ToJson() + "\n");
        }
        else if (metricsJson is not null)
            throw new CliUsageException("--metrics-json needs truth labels (--truth FILE.csv).");

        var metadata = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["method"] = method,
            ["library_version"] = Persistence.ModelPersistence.LibraryVersion,
        };
        if (extraMetadata is not null) foreach (var kv in extraMetadata) metadata[kv.Key] = kv.Value;
        if (metrics is not null)
            foreach (var (k, v) in metrics.ToNamedValues().Take(10))
                if (double.IsFinite(v)) metadata["metrics/" + k] = v;
        var (h5, csv) = ClusteringResultWriter.Write(outPath, section.SpotIds, section.X, section.Y, clusters, embedding, section.Truth, metadata);
        console.Info($"wrote {h5} and {csv}");

        if (plot is not null)
        {
            ScoredViewPlots.SaveDomainMap(plot, scored, new PlotOptions { Title = $"{method.ToUpperInvariant()} spatial domains" });
            console.Info($"wrote {plot}");
        }
        if (plotEmbedding is not null)
        {
            ScoredViewPlots.SaveEmbedding(plotEmbedding, scored, new PlotOptions { Title = $"{method.ToUpperInvariant()} embedding (PCA)" });
            console.Info($"wrote {plotEmbedding}");
        }
        return metrics;
    }

    private static string EvaluateCommandTable(SpatialClusteringMetrics m) => Commands.MetricsTable.Format(m);

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
}
