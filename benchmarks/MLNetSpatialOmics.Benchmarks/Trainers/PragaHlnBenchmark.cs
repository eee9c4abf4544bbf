using System.Diagnostics;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Trainers;

/// <summary>
/// PRAGA on the human lymph node A1 with the protein (ADT) modality only (the RNA matrix is not available here):
/// PRAGA's "10x" ADT recipe (CLR → scale → PCA to n_ADT − 1), 10x settings, 10 clusters, truth = manual annotation.
/// Arguments: <see cref="Options"/>.
/// </summary>
public sealed class PragaHlnBenchmark : IBenchmark
{
    public string Name => "praga-hln";
    public string Description => "PRAGA on hln_a1 (ADT only, 10x settings), 10 metrics per seed";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 0-4)"),
        BenchmarkOption.Value("--epochs", "N", "training epochs (default: the 10x preset's, 30)"),
    };

    public int Run(string[] args)
    {
        var seedRange = Arg(args, "--seeds", "0-4").Split('-');
        int first = int.Parse(seedRange[0]), last = int.Parse(seedRange[^1]);
        int? epochs = args.Contains("--epochs") ? int.Parse(Arg(args, "--epochs", "30")) : null;
        var dir = Path.Combine(Environment.GetEnvironmentVariable("SPATIALOMICS_DATA") is { Length: > 0 } d ? d : "/work/shared/data", "hln_a1");
        var load = new SectionLoadOptions { TruthCsvPath = Path.Combine(dir, "annotation.csv"), TruthCsvColumn = "manual-anno" };
        load.Add("ADT", Path.Combine(dir, "adata_ADT.h5ad"));
        var section = SectionLoader.Load(load).Section;
        int adt = section.GetModality("ADT").FeatureCount;
        var context = new MLContext(seed: 0);
        var raw = section.ToDataView();
        var preprocess = context.Transforms.Clr("ADT_clr", "ADT")
            .Append(context.Transforms.Scale("ADT_scaled", "ADT_clr"))
            .Append(context.Transforms.Pca("ADT_feat", "ADT_scaled", components: adt - 1));
        var data = preprocess.Fit(raw).Transform(raw);
        Console.WriteLine($"PRAGA hln_a1 (ADT only): {section.SpotCount} spots, {adt} proteins, 10 clusters, seeds {first}-{last}");
        Console.WriteLine("seed  " + string.Join(" ", PragaTripletBenchmark.MetricNames.Select(n => $"{n,7}")) + "   seconds");
        var all = new List<double[]>();
        var sw = new Stopwatch();
        for (int seed = first; seed <= last; seed++)
        {
            var options = PragaOptions.TenX("ADT_feat");
            options.Clusters = 10;
            options.Seed = seed;
            options.Device = "cpu";
            if (epochs is { } e) options.Epochs = e;
            sw.Restart();
            var model = context.Clustering.Trainers.Praga(options).Fit(data);
            var labels = TrainerOutputs.ReadPredictedLabels(model.Transform(data));
            var metrics = PragaTripletBenchmark.Metrics(SpatialClusteringEvaluator.Evaluate(section.Truth!, labels.Select(l => (string?)l.ToString()).ToArray()));
            all.Add(metrics);
            Console.WriteLine($"{seed,4}  " + string.Join(" ", metrics.Select(v => $"{v,7:F4}")) + $"   {sw.Elapsed.TotalSeconds,7:F1}");
        }
        var mean = Enumerable.Range(0, PragaTripletBenchmark.MetricNames.Length).Select(j => all.Average(r => r[j])).ToArray();
        var sd = Enumerable.Range(0, mean.Length).Select(j => Math.Sqrt(all.Sum(r => Math.Pow(r[j] - mean[j], 2)) / Math.Max(1, all.Count - 1))).ToArray();
        Console.WriteLine("mean  " + string.Join(" ", mean.Select(v => $"{v,7:F4}")));
        Console.WriteLine("sd    " + string.Join(" ", sd.Select(v => $"{v,7:F4}")));
        return 0;
    }
}
