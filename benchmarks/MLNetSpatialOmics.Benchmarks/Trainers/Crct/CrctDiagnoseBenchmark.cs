using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.Transforms;
using MLNetSpatialOmics.TorchSharp.Praga;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Crct;

/// <summary>
/// Per-seed diagnosis of the final labelling: trains PRAGA / CRCT (or reads embeddings cached in --cache), then on the
/// PCA(20) of each embedding compares the mixture the head fits (mclust's hierarchical start) with EEE fits from
/// k-means starts and — as a diagnostic only, never a selection rule — from the true partition: log-likelihood, BIC,
/// ARI, plus the confusion matrix and the kNN label purity of the embedding itself (is a domain mixed in the embedding,
/// or does the mixture mislabel a separable one?).
/// Arguments: <see cref="Options"/>.
/// </summary>
public sealed class CrctDiagnoseBenchmark : IBenchmark
{
    public string Name => "crct-diagnose";
    public string Description => "CRCT/PRAGA per-seed diagnosis: mixture starts, likelihoods, confusion, embedding kNN purity";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--dataset", "NAME", $"one of {string.Join(", ", CrctDatasets.Names)} (default triplet)"),
        BenchmarkOption.Value("--methods", "LIST", "comma-separated: praga and/or crct-<variant> (default praga,crct-full)"),
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 0-1)"),
        BenchmarkOption.Value("--cache", "DIR", "embeddings are read from / written to this folder (default /tmp/crct-diag)"),
        BenchmarkOption.Value("--starts", "N", "k-means starts of the EEE comparison fits (default 10)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default: torch's own choice)"),
    };

    public int Run(string[] args)
    {
        var datasetName = Arg(args, "--dataset", "triplet");
        var methods = Arg(args, "--methods", "praga,crct-full").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var seeds = Arg(args, "--seeds", "0-1").Split('-');
        int first = int.Parse(seeds[0], CultureInfo.InvariantCulture), last = int.Parse(seeds[^1], CultureInfo.InvariantCulture);
        var cache = Arg(args, "--cache", "/tmp/crct-diag");
        int starts = int.Parse(Arg(args, "--starts", "10"), CultureInfo.InvariantCulture);
        if (args.Contains("--threads")) global::TorchSharp.torch.set_num_threads(int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture));
        Directory.CreateDirectory(cache);
        var context = new MLContext(seed: 0);
        var section = CrctDatasets.Load(context, datasetName);
        var truthNames = section.Truth.Select(t => t ?? "").Distinct().OrderBy(t => t, StringComparer.Ordinal).ToArray();
        var truth = section.Truth.Select(t => Array.IndexOf(truthNames, t ?? "")).ToArray();
        int k = section.Clusters;

        foreach (var method in methods)
            for (int seed = first; seed <= last; seed++)
            {
                var x = Embedding(context, section, method, seed, Path.Combine(cache, $"{datasetName}-{method}-{seed}.bin"));
                var pca = PcaModel.Fit(new FeatureMatrix(x), 20, SvdSolver.Exact).Transform(new FeatureMatrix(x));
                var real = FinalClustering.FitHead(x.Data.Select(v => (float)v).ToArray(), x.Cols, k, 20, MixtureModelName.EEE, 2020).Mixture!;
                Report("head, plain EM", real, truth);
                var searched = FinalClustering.FitHead(x.Data.Select(v => (float)v).ToArray(), x.Cols, k, 20, MixtureModelName.EEE, 2020, splitMergeSearch: true).Mixture!;
                Report("head + split/merge search", searched, truth);
                Console.WriteLine($"== {datasetName} {method} seed {seed}: embedding {x.Rows}x{x.Cols}, kNN(10) purity {KnnPurity(x, truth, 10):F4}, PCA(20) kNN purity {KnnPurity(pca, truth, 10):F4}");
                var head = MclustFitter.Fit(pca, k, MixtureModelName.EEE, new MclustOptions { Seed = 2020 });
                Report("hierarchical on SVD (mclust)", head, truth);
                PrintConfusion(truth, head.TrainingLabels.ToArray(), truthNames, k);
                if (datasetName.StartsWith("triplet", StringComparison.Ordinal)) BoundaryReport(truth, head.TrainingLabels.ToArray());
                var vars = MclustFitter.Fit(pca, k, MixtureModelName.EEE, new MclustOptions { Seed = 2020, HierarchicalInputs = new[] { HierarchicalInput.Vars } });
                Report("hierarchical on VARS", vars, truth);
                var oracle = MclustFitter.FitFromPartition(pca, truth, MixtureModelName.EEE);
                if (oracle is not null) Report("truth start (diag)", oracle, truth);
                GaussianMixture? bestKm = null;
                for (int s = 0; s < starts; s++)
                {
                    var km = KMeansClustering.Fit(pca, k, seed: s, restarts: 1);
                    var fit = MclustFitter.FitFromPartition(pca, km.TrainingLabels.ToArray(), MixtureModelName.EEE);
                    if (fit is null) { Console.WriteLine($"  kmeans start {s}: EM failed"); continue; }
                    Report($"kmeans start {s}", fit, truth, $" kmARI {Ari(truth, km.TrainingLabels.ToArray()):F4}");
                    if (bestKm is null || fit.LogLikelihood > bestKm.LogLikelihood) bestKm = fit;
                }
                PrototypeQuality(x, truth, k, seed);
                if (bestKm is not null) Report("best-loglik of head+kmeans", bestKm.LogLikelihood > head.LogLikelihood ? bestKm : head, truth);
            }
        return 0;
    }

    private static DenseMatrix Embedding(MLContext context, CrctBenchmarkSection section, string method, int seed, string path)
    {
        if (File.Exists(path)) return EmbeddingCache.Read(path);
        ITransformer model;
        if (method == "praga")
        {
            var options = section.PragaPreset == "10x" ? PragaOptions.TenX(section.Modalities) : PragaOptions.Simulation(section.Modalities);
            options.Clusters = section.Clusters;
            options.Seed = seed;
            options.Device = "cpu";
            model = context.Clustering.Trainers.Praga(options).Fit(section.Data);
        }
        else
        {
            var options = CrctOptions.ForDataset(section.CrctPreset, section.Modalities);
            options.Variant = CrctVariantExtensions.Parse(method["crct-".Length..]);
            options.Praga.Clusters = section.Clusters;
            options.Praga.Seed = seed;
            options.Praga.Device = "cpu";
            model = context.Clustering.Trainers.Crct(options).Fit(section.Data);
        }
        var x = DataViewReader.ReadVectorColumn(model.Transform(section.Data), SectionColumns.Embedding);
        EmbeddingCache.Write(path, x);
        return x;
    }

    // How good are the pseudo-labels the prototypes give on this embedding? The trainer seeds prototypes with a diagonal
    // GMM (k-means++ start) on the raw embedding; nearest-prototype labels are what the cluster term and the class
    // statistics use.
    private static void PrototypeQuality(DenseMatrix x, int[] truth, int k, int seed)
    {
        using var t = global::TorchSharp.torch.tensor(x.Data, new long[] { x.Rows, x.Cols }, dtype: global::TorchSharp.torch.ScalarType.Float32);
        for (int s = 0; s < 3; s++)
        {
            using var g = new global::TorchSharp.torch.Generator((ulong)(seed + s));
            var proto = FinalClustering.PlainPrototypes(t, k, g);
            using var labels = global::TorchSharp.torch.argmax(t.mm(proto.t()), 1);   // unit rows: max cosine = nearest
            var l = labels.data<long>().Select(v => (int)v).ToArray();
            var sizes = string.Join("/", Enumerable.Range(0, k).Select(c => l.Count(v => v == c)).OrderByDescending(c => c));
            Console.WriteLine($"  diag-GMM prototypes (gen {seed + s}): pseudo-label ARI {Ari(truth, l):F4} sizes {sizes}");
            proto.Dispose();
        }
        var head = FinalClustering.FitHead(x.Data.Select(v => (float)v).ToArray(), x.Cols, k, 20, MixtureModelName.EEE, 2020).Mixture!;
        var hl = head.TrainingLabels.ToArray();
        var means = new double[k, x.Cols];
        var counts = new int[k];
        for (int i = 0; i < x.Rows; i++) { counts[hl[i]]++; for (int c = 0; c < x.Cols; c++) means[hl[i], c] += x[i, c]; }
        var nearest = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            double best = double.MinValue;
            for (int j = 0; j < k; j++)
            {
                double dot = 0, norm = 0;
                for (int c = 0; c < x.Cols; c++) { double m = means[j, c] / Math.Max(counts[j], 1); dot += m * x[i, c]; norm += m * m; }
                dot /= Math.Sqrt(norm);
                if (dot > best) { best = dot; nearest[i] = j; }
            }
        }
        Console.WriteLine($"  EEE-head class means as prototypes: pseudo-label ARI {Ari(truth, nearest):F4}");
    }

    private static void Report(string what, GaussianMixture fit, int[] truth, string extra = "")
    {
        var labels = fit.TrainingLabels.ToArray();
        var m = SpatialClusteringEvaluator.Evaluate(truth, labels);
        var sizes = string.Join("/", Enumerable.Range(0, fit.Components).Select(c => labels.Count(l => l == c)).OrderByDescending(c => c));
        Console.WriteLine($"  {what,-28} loglik {fit.LogLikelihood,12:F2} BIC {fit.Bic,12:F2} iters {fit.Iterations,4} ICL {fit.Icl,12:F2} ARI {m.AdjustedRandIndex:F4} NMI {m.NormalizedMutualInformation:F4} sizes {sizes}{extra}");
    }

    // Are the mislabelled spots on a domain border? Triplet only: grid row/col of every spot from derived_GT_labels.csv
    // (same row order as the h5ad files). A spot counts as "on the border of" domain t when one of its 8 grid
    // neighbours has truth t; the mislabelled spot's cluster is mapped to the true domain it mostly holds.
    private static void BoundaryReport(int[] truth, int[] labels)
    {
        var rows = File.ReadAllLines(Path.Combine(Environment.GetEnvironmentVariable("SPATIALOMICS_DATA") is { Length: > 0 } d ? d : "/work/shared/data",
            "simulation_spatialglue_triplet", "derived_GT_labels.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var grid = new Dictionary<(int, int), int>();
        for (int i = 0; i < rows.Length; i++) grid[(int.Parse(rows[i][2], CultureInfo.InvariantCulture), int.Parse(rows[i][3], CultureInfo.InvariantCulture))] = i;
        int g = labels.Max() + 1;
        var major = Enumerable.Range(0, g).Select(c => Enumerable.Range(0, truth.Length).Where(i => labels[i] == c).GroupBy(i => truth[i])
            .OrderByDescending(x => x.Count()).Select(x => x.Key).FirstOrDefault(-1)).ToArray();
        int wrong = 0, border = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            int assigned = major[labels[i]];
            if (assigned == truth[i]) continue;
            wrong++;
            int r = int.Parse(rows[i][2], CultureInfo.InvariantCulture), c = int.Parse(rows[i][3], CultureInfo.InvariantCulture);
            bool touches = false;
            for (int dr = -1; dr <= 1; dr++)
                for (int dc = -1; dc <= 1; dc++)
                    if (grid.TryGetValue((r + dr, c + dc), out var j) && truth[j] == assigned) touches = true;
            if (touches) border++;
        }
        Console.WriteLine($"    mislabelled spots: {wrong}, of which {border} touch (8-neighbourhood) the domain they were given");
    }

    private static double Ari(int[] truth, int[] labels) => SpatialClusteringEvaluator.Evaluate(truth, labels).AdjustedRandIndex;

    private static void PrintConfusion(int[] truth, int[] labels, string[] truthNames, int k)
    {
        int g = labels.Max() + 1;
        var c = new int[truthNames.Length, g];
        for (int i = 0; i < truth.Length; i++) c[truth[i], labels[i]]++;
        for (int t = 0; t < truthNames.Length; t++)
            Console.WriteLine($"    truth {truthNames[t],-4}: " + string.Join(" ", Enumerable.Range(0, g).Select(j => $"{c[t, j],5}")));
    }

    private static double KnnPurity(DenseMatrix x, int[] truth, int k)
    {
        int n = x.Rows, agree = 0;
        var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                var a = x.RowReadOnly(i); var b = x.RowReadOnly(j);
                for (int c = 0; c < x.Cols; c++) { double v = a[c] - b[c]; s += v * v; }
                d[j] = j == i ? double.MaxValue : s;
            }
            var nn = Enumerable.Range(0, n).OrderBy(j => d[j]).Take(k);
            var vote = nn.GroupBy(j => truth[j]).OrderByDescending(g => g.Count()).First().Key;
            if (vote == truth[i]) agree++;
        }
        return agree / (double)n;
    }
}
