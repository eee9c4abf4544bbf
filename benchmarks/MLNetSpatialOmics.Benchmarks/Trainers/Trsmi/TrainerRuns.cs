using System.Diagnostics;
using Microsoft.ML;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.TorchSharp.Trsmi;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Trsmi;

/// <summary>Fits a trainer on a section and scores its labels; prints one row per run and a mean row per method.</summary>
internal static class TrainerRuns
{
    public static (double[] Metrics, double Seconds) Score(BenchmarkSection section, IEstimator<ITransformer> trainer, Action<ITransformer>? inspect = null)
    {
        var sw = Stopwatch.StartNew();
        var model = trainer.Fit(section.Data);
        inspect?.Invoke(model);
        var labels = TrainerOutputs.ReadPredictedLabels(model.Transform(section.Data));
        sw.Stop();
        var metrics = SpatialClusteringEvaluator.Evaluate(section.Truth, labels.Select(l => (string?)l.ToString()).ToArray());
        return (SummaryScores.Compute(metrics), sw.Elapsed.TotalSeconds);
    }

    /// <summary>Prints how much weight the aligned context gained in a fitted TRSMI model.</summary>
    public static void ReportAlignment(ITransformer model)
    {
        if (model is TrsmiTransformer t)
            Console.WriteLine($"  (alignment context weight ‖W_ctx‖_F = {t.AlignmentContextWeightNorm:G3}; ‖I‖_F = {Math.Sqrt(t.LatentDimension):F1})");
    }

    public static string Header(string first) =>
        $"{first,-22}" + string.Join(" ", SummaryScores.Names.Select(n => $"{n,7}")) + "     sec";

    public static string Row(string label, double[] values, double seconds) =>
        $"{label,-22}" + string.Join(" ", values.Select(v => $"{v,7:F4}")) + $" {seconds,7:F1}";

    public static double[] Mean(IReadOnlyList<double[]> rows) =>
        Enumerable.Range(0, rows[0].Length).Select(j => rows.Average(r => r[j])).ToArray();

    /// <summary>TRSMI with the paper's defaults on 10x sections and <see cref="TrsmiOptions.Simulation"/> on the triplet.</summary>
    public static TrsmiTrainer Trsmi(MLContext context, BenchmarkSection section, int seed, int? epochs, Action<TrsmiOptions>? adjust = null)
    {
        var options = section.TenX ? new TrsmiOptions { ModalityColumns = section.Modalities } : TrsmiOptions.Simulation(section.Modalities);
        options.Clusters = section.Clusters;
        options.Seed = seed;
        options.Device = "cpu";
        if (epochs is { } e) options.Epochs = e;
        if (Environment.GetEnvironmentVariable("TRSMI_PROGRESS") is { Length: > 0 })
        {
            var clock = Stopwatch.StartNew();
            options.Progress = p =>
            {
                if (p.Epoch % 10 == 0 || p.Epoch == p.Epochs - 1)
                    Console.Error.WriteLine($"  epoch {p.Epoch,4}: loss {p.Total:F4} rec {p.Reconstruction:F4} proto {p.Prototype:F4} graph {p.Graph:F4} β {p.Beta:F3}  {clock.Elapsed.TotalSeconds:F1} s");
            };
        }
        adjust?.Invoke(options);
        foreach (var (name, value) in Overrides) Set(options, name, value);
        return context.Clustering.Trainers.Trsmi(options);
    }

    /// <summary>PRAGA with its released settings for the section kind ("Simulation" for the triplet, "10x" for HLN).</summary>
    public static PragaTrainer Praga(MLContext context, BenchmarkSection section, int seed, int? epochs)
    {
        var options = section.TenX ? PragaOptions.TenX(section.Modalities) : PragaOptions.Simulation(section.Modalities);
        options.Clusters = section.Clusters;
        options.Seed = seed;
        options.Device = "cpu";
        if (epochs is { } e) options.Epochs = e;
        return context.Clustering.Trainers.Praga(options);
    }

    /// <summary>CRCT with its dataset preset ("simulation" for the triplet, "hln" for HLN), full model.</summary>
    public static CrctTrainer Crct(MLContext context, BenchmarkSection section, int seed, int? epochs)
    {
        var options = CrctOptions.ForDataset(section.TenX ? "hln" : "simulation", section.Modalities);
        options.Praga.Clusters = section.Clusters;
        options.Praga.Seed = seed;
        options.Praga.Device = "cpu";
        if (epochs is { } e) options.Praga.Epochs = e;
        return context.Clustering.Trainers.Crct(options);
    }

    /// <summary>The options <see cref="ConfigureThreads"/> reads, shared by every benchmark that calls it.</summary>
    public static IReadOnlyList<BenchmarkOption> SharedOptions { get; } = new[]
    {
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default 1)"),
        BenchmarkOption.Value("--set", "Name=Value", "override a bool/int/double TrsmiOption; repeatable (default: none)"),
    };

    /// <summary>
    /// torch intra-op threads (--threads, default 1): on a shared, oversubscribed machine one thread per process was
    /// 10–20× faster than two (OpenMP barriers spin while the other thread waits for a core).
    /// </summary>
    public static void ConfigureThreads(string[] args)
    {
        global::TorchSharp.torch.set_num_threads(int.Parse(BenchmarkArgs.Arg(args, "--threads", "1")));
        ReadOverrides(args);
    }

    /// <summary>TRSMI option overrides from repeated <c>--set Name=Value</c> arguments (numbers and booleans).</summary>
    public static List<(string Name, string Value)> Overrides { get; } = new();

    public static void ReadOverrides(string[] args)
    {
        for (int i = 0; i + 1 < args.Length; i++)
            if (args[i] == "--set")
            {
                var parts = args[i + 1].Split('=', 2);
                if (parts.Length != 2) throw new ArgumentException($"--set takes Name=Value, not '{args[i + 1]}'.");
                Overrides.Add((parts[0], parts[1]));
            }
    }

    private static void Set(TrsmiOptions options, string name, string value)
    {
        var property = typeof(TrsmiOptions).GetProperty(name)
            ?? throw new ArgumentException($"TrsmiOptions has no option '{name}'.");
        object parsed = property.PropertyType == typeof(bool) ? (object)bool.Parse(value)
            : property.PropertyType == typeof(int) ? (object)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : property.PropertyType == typeof(double) ? (object)double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentException($"--set handles bool, int and double options; '{name}' is {property.PropertyType.Name}.");
        property.SetValue(options, parsed);
    }

    public static (int First, int Last) Seeds(string[] args, string fallback)
    {
        var range = BenchmarkArgs.Arg(args, "--seeds", fallback).Split('-');
        return (int.Parse(range[0]), int.Parse(range[^1]));
    }
}
