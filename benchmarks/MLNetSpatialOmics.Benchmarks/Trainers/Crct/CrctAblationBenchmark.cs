using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Crct;

/// <summary>
/// CRCT's ablation table (paper Table 5) and its comparison with our PRAGA trainer, in one command:
/// for every dataset, our PRAGA (its own settings) and the four CRCT variants (Table 1 presets) over the seeds;
/// mean ± sd NMI and ARI, and the recall of the three rarest true classes (Hungarian-matched).
/// Arguments: <see cref="Options"/>. The --crct-* options override the CRCT preset, for tuning; --verbose's ARIs against
/// the truth are diagnostics only.
/// </summary>
public sealed class CrctAblationBenchmark : IBenchmark
{
    public string Name => "crct-ablation";
    public string Description => "CRCT ablation (PRAGA trainer + 4 CRCT variants) x datasets: NMI, ARI, rare-class recall";

    private static readonly string[] AllMethods = { "praga", "crct-praga", "crct-l_aug", "crct-l_cluster", "crct-full" };

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--datasets", "LIST", $"comma-separated, of {string.Join(",", CrctDatasets.Names)},{CrctDatasets.Simulator} (default {string.Join(",", CrctDatasets.Names)})"),
        BenchmarkOption.Value("--methods", "LIST", $"comma-separated (default {string.Join(",", AllMethods)})"),
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 0-4)"),
        BenchmarkOption.Value("--epochs", "N", "every method's epochs, for quick checks (default: each method's preset)"),
        BenchmarkOption.Flag("--verbose", "CRCT losses, pseudo-label ARI and final-head ARI every 25 epochs (default off)"),
        BenchmarkOption.Value("--crct-epochs", "N", "CRCT variants' epochs, overriding --epochs (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-lr", "X", "CRCT learning rate (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-wd", "X", "CRCT weight decay (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-rho", "X", "augmentation magnitude ρ (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-graph-reference", "initial|ema|initialfused", "graph reference of the graph loss (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-beta", "X", "cluster-loss weight β after epoch 100 (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-refresh", "N", "prototype refresh period in epochs (default: the CRCT preset's)"),
        BenchmarkOption.Value("--crct-tau", "X", "temperature τ of the cluster-contrastive loss (default: the preset's, 2)"),
        BenchmarkOption.Value("--crct-prototype-count", "K", "prototypes (pseudo-classes) per refresh (default: the number of clusters)"),
        BenchmarkOption.Value("--crct-prototypes", "gmm|kmeans", "prototype method: PRAGA's Gaussian mixture or Figure 2's k-means (default gmm)"),
        BenchmarkOption.Flag("--crct-head-search", "the final mixture's split/merge search after EM, on (default: the CRCT preset's)"),
        BenchmarkOption.Flag("--crct-no-head-search", "the same search off: mclust's EM alone (default: the CRCT preset's)"),
        BenchmarkOption.Flag("--praga-head-search", "the same search for our PRAGA trainer, to compare the methods under one head (default off)"),
        BenchmarkOption.Flag("--crct-full-covariance", "Eq. 6's full class covariances, ε ~ N(0, Σ_y) (default off)"),
        BenchmarkOption.Value("--labels-dir", "DIR", "write one CSV per fit: row, truth, predicted label, in the dataset's row order (default: none)"),
        BenchmarkOption.Value("--embeddings-dir", "DIR", "write each fit's embedding as <dataset>-<method>-<seed>.bin, the cache format crct-diagnose --cache reads (default: none)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default: torch's own choice)"),
    };

    public int Run(string[] args)
    {
        var datasets = Arg(args, "--datasets", string.Join(",", CrctDatasets.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var methods = Arg(args, "--methods", string.Join(",", AllMethods)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var m in methods)
            if (!AllMethods.Contains(m)) throw new ArgumentException($"unknown method '{m}'; known: {string.Join(", ", AllMethods)}.");
        var seedRange = Arg(args, "--seeds", "0-4").Split('-');
        int first = int.Parse(seedRange[0], CultureInfo.InvariantCulture), last = int.Parse(seedRange[^1], CultureInfo.InvariantCulture);
        int? epochs = args.Contains("--epochs") ? int.Parse(Arg(args, "--epochs", "0"), CultureInfo.InvariantCulture) : null;
        _verbose = args.Contains("--verbose");
        _crctEpochs = args.Contains("--crct-epochs") ? int.Parse(Arg(args, "--crct-epochs", "0"), CultureInfo.InvariantCulture) : null;
        _crctLearningRate = OptionalDouble(args, "--crct-lr");
        _crctWeightDecay = OptionalDouble(args, "--crct-wd");
        _crctRho = OptionalDouble(args, "--crct-rho");
        _crctBeta = OptionalDouble(args, "--crct-beta");
        _crctTau = OptionalDouble(args, "--crct-tau");
        _crctPrototypeCount = OptionalDouble(args, "--crct-prototype-count");
        _crctRefresh = OptionalDouble(args, "--crct-refresh");
        _crctFullCovariance = args.Contains("--crct-full-covariance");
        _crctHeadSearch = args.Contains("--crct-head-search") ? true : args.Contains("--crct-no-head-search") ? false : null;
        _pragaHeadSearch = args.Contains("--praga-head-search");
        _crctPrototypes = Arg(args, "--crct-prototypes", "") switch
        {
            "" => null,
            "gmm" => CrctPrototypeMethod.GaussianMixture,
            "kmeans" => CrctPrototypeMethod.KMeans,
            var other => throw new ArgumentException($"--crct-prototypes must be gmm or kmeans, got '{other}'."),
        };
        string? labelsDir = args.Contains("--labels-dir") ? Arg(args, "--labels-dir", "") : null;
        if (labelsDir is not null) Directory.CreateDirectory(labelsDir);
        _embeddingsDir = args.Contains("--embeddings-dir") ? Arg(args, "--embeddings-dir", "") : null;
        if (_embeddingsDir is not null) Directory.CreateDirectory(_embeddingsDir);
        _crctGraphReference = args.Contains("--crct-graph-reference") ? Enum.Parse<GraphReference>(Arg(args, "--crct-graph-reference", ""), ignoreCase: true) : null;
        if (args.Contains("--threads")) global::TorchSharp.torch.set_num_threads(int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture));
        var context = new MLContext(seed: 0);
        var summary = new List<string>();

        foreach (var name in datasets)
        {
            var section = CrctDatasets.Load(context, name.Trim());
            var rare = section.Truth.Where(t => t is not null).GroupBy(t => t!).OrderBy(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(3).Select(g => (g.Key, Count: g.Count())).ToArray();
            Console.WriteLine($"== {section.Name}: {section.Truth.Length} spots, {section.Clusters} classes, modalities {string.Join("+", section.Modalities)}, " +
                $"seeds {first}-{last}; rarest classes {string.Join(", ", rare.Select(r => $"{r.Key} (n={r.Count})"))}");
            Console.WriteLine($"{"method",-16} {"seed",4} {"NMI",7} {"ARI",7} " + string.Join(" ", rare.Select(r => $"{"rec" + r.Key,7}")) + $" {"seconds",8}");
            foreach (var method in methods)
            {
                var rows = new List<double[]>();
                for (int seed = first; seed <= last; seed++)
                {
                    var sw = Stopwatch.StartNew();
                    var labels = Fit(context, section, method, seed, epochs);
                    if (labelsDir is not null) WriteLabels(Path.Combine(labelsDir, $"{section.Name}-{method}-seed{seed}.csv"), section.Truth, labels);
                    var metrics = SpatialClusteringEvaluator.Evaluate(section.Truth, labels.Select(l => l < 0 ? null : (string?)l.ToString(CultureInfo.InvariantCulture)).ToArray());
                    var recalls = rare.Select(r => Recall(metrics, r.Key)).ToArray();
                    var row = new[] { metrics.NormalizedMutualInformation, metrics.AdjustedRandIndex }.Concat(recalls).Append(sw.Elapsed.TotalSeconds).ToArray();
                    rows.Add(row);
                    Console.WriteLine($"{method,-16} {seed,4} " + string.Join(" ", row.Take(row.Length - 1).Select(v => $"{v,7:F4}")) + $" {row[^1],8:F1}");
                }
                var mean = Enumerable.Range(0, rows[0].Length).Select(j => rows.Average(r => r[j])).ToArray();
                var sd = Enumerable.Range(0, rows[0].Length).Select(j => rows.Count < 2 ? 0 : Math.Sqrt(rows.Sum(r => Math.Pow(r[j] - mean[j], 2)) / (rows.Count - 1))).ToArray();
                Console.WriteLine($"{method,-16} {"mean",4} " + string.Join(" ", mean.Take(mean.Length - 1).Select(v => $"{v,7:F4}")) + $" {mean[^1],8:F1}");
                summary.Add($"| {section.Name} | {Display(method)} | {mean[0]:F4} ± {sd[0]:F4} | {mean[1]:F4} ± {sd[1]:F4} | " +
                    string.Join(" / ", rare.Select((r, i) => $"{mean[2 + i]:F3}")) + $" | {mean[^1]:F0} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Seeds {first}-{last}, mean ± sd; rare recall = recall of the three rarest true classes (rarest first).");
        Console.WriteLine("| dataset | method | NMI | ARI | rare recall | s/fit |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var line in summary) Console.WriteLine(line);
        return 0;
    }

    private static bool _verbose, _crctFullCovariance;
    private static string? _embeddingsDir;
    private static int? _crctEpochs;
    private static GraphReference? _crctGraphReference;
    private static double? _crctBeta, _crctRefresh, _crctTau, _crctPrototypeCount;
    private static CrctPrototypeMethod? _crctPrototypes;
    private static bool? _crctHeadSearch;
    private static bool _pragaHeadSearch;
    private static double? _crctLearningRate, _crctWeightDecay, _crctRho;

    private static void WriteLabels(string path, string?[] truth, int[] labels)
    {
        var lines = new List<string>(labels.Length + 1) { "row,truth,label" };
        lines.AddRange(labels.Select((l, i) => string.Create(CultureInfo.InvariantCulture, $"{i},{truth[i]},{l}")));
        MLNetSpatialOmics.IO.AtomicFile.WriteAllText(path, string.Join("\n", lines) + "\n");
    }

    private static int[] Fit(MLContext context, CrctBenchmarkSection section, string method, int seed, int? epochs)
    {
        ITransformer model;
        if (method == "praga")
        {
            var options = section.PragaPreset == "10x" ? PragaOptions.TenX(section.Modalities) : PragaOptions.Simulation(section.Modalities);
            options.Clusters = section.Clusters;
            options.Seed = seed;
            options.Device = "cpu";
            if (epochs is { } e) options.Epochs = e;
            if (_pragaHeadSearch) options.MixtureSplitMergeSearch = true;
            model = context.Clustering.Trainers.Praga(options).Fit(section.Data);
        }
        else
        {
            var options = CrctOptions.ForDataset(section.CrctPreset, section.Modalities);
            options.Variant = CrctVariantExtensions.Parse(method["crct-".Length..]);
            options.Praga.Clusters = section.Clusters;
            options.Praga.Seed = seed;
            options.Praga.Device = "cpu";
            if (epochs is { } e) options.Praga.Epochs = e;
            if (_crctEpochs is { } ce) options.Praga.Epochs = ce;
            if (_crctLearningRate is { } lr) options.Praga.LearningRate = lr;
            if (_crctWeightDecay is { } wd) options.Praga.WeightDecay = wd;
            if (_crctRho is { } rho) options.AugmentationMagnitude = rho;
            if (_crctTau is { } tau) options.Praga.Temperature = tau;
            if (_crctPrototypeCount is { } count) options.Praga.PrototypeCount = (int)count;
            if (_crctPrototypes is { } prototypes) options.Prototypes = prototypes;
            if (_crctHeadSearch is { } search) options.Praga.MixtureSplitMergeSearch = search;
            if (_crctGraphReference is { } reference) options.GraphReference = reference;
            if (_crctRefresh is { } refresh) options.Praga.PrototypeRefreshEvery = (int)refresh;
            if (_crctFullCovariance) options.FullCovariance = true;
            if (_crctBeta is { } beta) options.ClusterWeight = new StepSchedule(new[] { 0.0, beta }, new[] { 100 });
            if (_verbose)
                options.Progress = p =>
                {
                    if (p.Epoch % 25 == 0 || p.Epoch == p.Epochs - 1)
                        Console.WriteLine($"    epoch {p.Epoch,4}: total {p.Total:F4} rec {p.Reconstruction:F4} aug {p.Augmented:F4} graph {p.Graph:F4} " +
                            $"cluster {p.Cluster:F4} lambda {p.Lambda} beta {p.Beta} rho {p.Rho:F3} classes {p.PseudoClasses}");
                };
            if (_verbose)
                options.PseudoLabelObserver = (epoch, labels) =>
                {
                    if (epoch % 25 == 0 || epoch == options.Praga.Epochs - 1)
                        Console.WriteLine($"    epoch {epoch,4}: pseudo-label ARI vs truth (diagnostic) " +
                            $"{SpatialClusteringEvaluator.Evaluate(section.Truth, labels.Select(l => (string?)l.ToString(CultureInfo.InvariantCulture)).ToArray()).AdjustedRandIndex:F4}");
                };
            if (_verbose)
                options.EmbeddingObserver = (epoch, z) =>
                {
                    var head = FinalClustering.FitHead(z, z.Length / section.Truth.Length, section.Clusters, 20, MLNetSpatialOmics.Clustering.MixtureModelName.EEE, 2020).Mixture!;
                    var m = SpatialClusteringEvaluator.Evaluate(section.Truth, head.TrainingLabels.Select(l => (string?)l.ToString(CultureInfo.InvariantCulture)).ToArray());
                    Console.WriteLine($"    epoch {epoch,4}: final-head ARI on this epoch's embedding (diagnostic) {m.AdjustedRandIndex:F4} NMI {m.NormalizedMutualInformation:F4} loglik {head.LogLikelihood:F1}");
                };
            model = context.Clustering.Trainers.Crct(options).Fit(section.Data);
        }
        var scored = model.Transform(section.Data);
        if (_embeddingsDir is not null)
            EmbeddingCache.Write(Path.Combine(_embeddingsDir, $"{section.Name}-{method}-{seed}.bin"),
                DataViewReader.ReadVectorColumn(scored, SectionColumns.Embedding));
        return TrainerOutputs.ReadPredictedLabels(scored);
    }

    private static double Recall(SpatialClusteringMetrics metrics, string key)
    {
        for (int i = 0; i < metrics.Contingency.TrueLabels.Count; i++)
            if (metrics.Contingency.TrueLabels[i] == key) return metrics.PerClassRecall[i];
        return double.NaN;
    }

    private static string Display(string method) => method switch
    {
        "praga" => "PRAGA (our trainer)",
        _ => "CRCT variant " + CrctVariantExtensions.Parse(method["crct-".Length..]).TableName(),
    };

    private static double? OptionalDouble(string[] args, string name) =>
        args.Contains(name) ? double.Parse(Arg(args, name, "0"), CultureInfo.InvariantCulture) : null;
}
