using System.Globalization;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.IO;

namespace MLNetSpatialOmics.Cli.Commands;

public sealed class EvaluateCommand : ICommand
{
    public string Name => "evaluate";
    public string Summary => "compare predicted clusters with truth labels (MI, NMI, AMI, FMI, ARI, V-measure, ...)";
    public string Help => """
        spatialomics evaluate --predicted result.h5ad|result.csv --truth FILE.csv [--truth-column COL]
                              [--predicted-column cluster] [--json] [--metrics-json FILE]

        Spots are matched by id. Truth CSV: a header row, the first column is the spot id, --truth-column names the
        label column (default: the second column). Predictions: a result .h5ad (obs column, default 'cluster') or a
        CSV in the same layout as the truth. Spots without a truth label are left out and counted.
          --json               print the metrics as JSON instead of a table
          --metrics-json FILE  also write the JSON to FILE
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var a = new ArgumentReader(Name, args,
            new HashSet<string> { "--predicted", "--truth", "--truth-column", "--predicted-column", "--metrics-json" },
            new HashSet<string> { "--json" });
        string predictedPath = a.Required("--predicted");
        string truthPath = a.Required("--truth");
        string? truthColumn = a.Optional("--truth-column");
        string predictedColumn = a.Optional("--predicted-column") ?? "cluster";
        bool json = a.Flag("--json");
        string? metricsJson = a.Optional("--metrics-json");

        var predicted = ReadPredicted(predictedPath, predictedColumn);
        var truth = LabelCsv.Read(truthPath, truthColumn);
        var ids = predicted.Keys.ToArray();
        var truthLabels = ids.Select(id => truth.TryGetValue(id, out var t) ? t : null).ToArray();
        if (truthLabels.All(t => t is null))
            throw new CliUsageException($"no spot of '{predictedPath}' has a label in '{truthPath}' (ids like '{ids.FirstOrDefault()}' vs '{truth.Keys.FirstOrDefault()}').");
        var metrics = SpatialClusteringEvaluator.Evaluate(truthLabels, ids.Select(id => predicted[id]).ToArray());
        var jsonText = metrics.ToJson();
        if (metricsJson is not null) AtomicFile.WriteAllText(metricsJson, jsonText + "\n");
        if (json) console.Out.WriteLine(jsonText);
        else console.Info(MetricsTable.Format(metrics));
        return SpatialOmicsTool.Ok;
    }

    internal static Dictionary<string, string?> ReadPredicted(string path, string column)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"predictions file '{path}' does not exist.", path);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return LabelCsv.Read(path, column);
        var data = H5adReader.Read(path, new H5adReadOptions { ReadX = false, RequireX = false, ReadVarColumns = false, ReadUns = false });
        if (!data.Obs.TryGetValue(column, out var col))
            throw new CliUsageException($"'{path}' has no obs column '{column}' (obs columns: {string.Join(", ", data.Obs.Keys)}).");
        var labels = col.ToStrings();
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < data.ObsCount; i++) result[data.ObsNames[i]] = labels[i];
        return result;
    }
}

/// <summary>Human-readable metrics table (the JSON has the same numbers).</summary>
internal static class MetricsTable
{
    public static string Format(SpatialClusteringMetrics m)
    {
        var lines = new List<string> { $"spots compared: {m.Count} (missing truth: {m.MissingTruthCount})" };
        foreach (var (key, value) in m.ToNamedValues())
            lines.Add($"  {key,-22} {(double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "n/a")}");
        if (m.PerClassRecall.Count > 0)
        {
            lines.Add("  per-class recall after matching (class: recall):");
            for (int i = 0; i < m.PerClassRecall.Count; i++)
                lines.Add($"    {m.Contingency.TrueLabels[i],-20} {m.PerClassRecall[i].ToString("F4", CultureInfo.InvariantCulture)}");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
