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
/// PRAGA on the SpatialGlue triplet simulation, end to end through the library: h5ad files → PRAGA's "Simulation"
/// preprocessing preset → PragaTrainer (Simulation settings) → the evaluator; the ten metrics per seed and mean ± sd.
/// Arguments: <see cref="Options"/>. <c>--mini-batch</c> forces mini-batch training in blocks of SIZE spots (the
/// full-batch vs mini-batch gap). PRAGA's main.py reads each file's X (counts + rounded noise), which is the default here.
/// </summary>
public sealed class PragaTripletBenchmark : IBenchmark
{
    public string Name => "praga-triplet";
    public string Description => "PRAGA on the triplet simulation (RNA+ADT+ATAC or a subset), 10 metrics per seed";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--modalities", "LIST", "comma-separated subset of RNA,ADT,ATAC to train on (default RNA,ADT,ATAC)"),
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 0-4)"),
        BenchmarkOption.Value("--epochs", "N", "training epochs (default: the Simulation preset's, 200)"),
        BenchmarkOption.Value("--layer", "X|counts", "h5ad matrix to read; anything but counts means X (default X)"),
        BenchmarkOption.Value("--fusion", "half|random", "fusion weights' start: 0.5 / 0.5 or PRAGA's random Conv2d draw (default half)"),
        BenchmarkOption.Value("--prototype-weight", "W", "weight of the prototype loss (default: the preset's, 1)"),
        BenchmarkOption.Value("--prototype-start", "EPOCH", "epoch the prototype loss starts (default: the preset's, 100)"),
        BenchmarkOption.Flag("--split-merge", "split/merge prototype refinement (default off)"),
        BenchmarkOption.Value("--mini-batch", "SIZE", "force mini-batch training in blocks of SIZE spots (default: full batch)"),
        BenchmarkOption.Value("--fanout", "F", "with --mini-batch only: feature neighbours sampled per context spot (default 0: all)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default: torch's own choice)"),
    };

    internal static readonly string[] MetricNames = { "MI", "NMI", "AMI", "FMI", "ARI", "V", "Hom", "Comp", "F1", "Jacc" };

    internal static double[] Metrics(SpatialClusteringMetrics m) => new[]
    {
        m.MutualInformation, m.NormalizedMutualInformation, m.AdjustedMutualInformation, m.FowlkesMallows,
        m.AdjustedRandIndex, m.VMeasure, m.Homogeneity, m.Completeness, m.F1, m.Jaccard,
    };

    public int Run(string[] args)
    {
        var modalities = Arg(args, "--modalities", "RNA,ADT,ATAC").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var seedRange = Arg(args, "--seeds", "0-4").Split('-');
        int first = int.Parse(seedRange[0]), last = int.Parse(seedRange[^1]);
        int? epochs = args.Contains("--epochs") ? int.Parse(Arg(args, "--epochs", "200")) : null;
        string? layer = Arg(args, "--layer", "X") == "counts" ? "counts" : null;
        var fusion = Arg(args, "--fusion", "half");
        if (fusion is not ("half" or "random")) throw new ArgumentException($"--fusion must be 'half' or 'random', not '{fusion}'.");
        bool randomFusion = fusion == "random";
        if (args.Contains("--threads")) global::TorchSharp.torch.set_num_threads(int.Parse(Arg(args, "--threads", "1")));

        var dir = Path.Combine(Environment.GetEnvironmentVariable("SPATIALOMICS_DATA") is { Length: > 0 } d ? d : "/work/shared/data",
            "simulation_spatialglue_triplet");
        var load = new SectionLoadOptions { TruthCsvPath = Path.Combine(dir, "derived_GT_labels.csv"), TruthCsvColumn = "domain" };
        foreach (var m in new[] { "RNA", "ADT", "ATAC" }) load.Add(m, Path.Combine(dir, $"adata_{m}.h5ad"), layer);
        var section = SectionLoader.Load(load).Section;
        var context = new MLContext(seed: 0);
        var sw = Stopwatch.StartNew();
        // The preset always preprocesses all three (the RNA/ATAC widths come from the ADT column); a subset run uses a subset of its outputs.
        var data = PragaPresets.Build(context, PragaDataType.Simulation).Fit(section.ToDataView()).Transform(section.ToDataView());
        Console.WriteLine($"PRAGA triplet: {section.SpotCount} spots, modalities {string.Join("+", modalities)}, layer {layer ?? "X"}, " +
                          $"seeds {first}-{last}; preprocessing {sw.Elapsed.TotalSeconds:F1} s");
        var truth = section.Truth!;

        Console.WriteLine("seed  " + string.Join(" ", MetricNames.Select(n => $"{n,7}")) + "   seconds  prototypes");
        var all = new List<double[]>();
        for (int seed = first; seed <= last; seed++)
        {
            var options = PragaOptions.Simulation(modalities.Select(m => m + "_feat").ToArray());
            options.Seed = seed;
            options.Device = "cpu";
            options.RandomFusionInit = randomFusion;
            if (epochs is { } e) options.Epochs = e;
            if (args.Contains("--prototype-weight")) options.PrototypeWeight = double.Parse(Arg(args, "--prototype-weight", "1"), System.Globalization.CultureInfo.InvariantCulture);
            if (args.Contains("--prototype-start")) options.PrototypeStartEpoch = int.Parse(Arg(args, "--prototype-start", "100"));
            if (args.Contains("--split-merge")) options.SplitMerge = true;
            if (args.Contains("--mini-batch"))
            {
                options.MiniBatchThreshold = 0;
                options.BatchSize = int.Parse(Arg(args, "--mini-batch", "324"));
                options.FeatureFanout = int.Parse(Arg(args, "--fanout", "0"));
            }
            sw.Restart();
            var model = context.Clustering.Trainers.Praga(options).Fit(data);
            var labels = TrainerOutputs.ReadPredictedLabels(model.Transform(data));
            var metrics = Metrics(SpatialClusteringEvaluator.Evaluate(truth, labels.Select(l => (string?)l.ToString()).ToArray()));
            all.Add(metrics);
            int protos = model.TrainingHistory.Count > 0 ? model.TrainingHistory[^1].Prototypes : 0;
            Console.WriteLine($"{seed,4}  " + string.Join(" ", metrics.Select(v => $"{v,7:F4}")) + $"   {sw.Elapsed.TotalSeconds,7:F1}  {protos,10}");
        }
        var mean = Enumerable.Range(0, MetricNames.Length).Select(j => all.Average(r => r[j])).ToArray();
        var sd = Enumerable.Range(0, mean.Length).Select(j => Math.Sqrt(all.Sum(r => Math.Pow(r[j] - mean[j], 2)) / Math.Max(1, all.Count - 1))).ToArray();
        Console.WriteLine("mean  " + string.Join(" ", mean.Select(v => $"{v,7:F4}")));
        Console.WriteLine("sd    " + string.Join(" ", sd.Select(v => $"{v,7:F4}")));
        return 0;
    }
}
