using System.Globalization;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Crct;

/// <summary>
/// Final-labelling variants on cached embeddings (written by crct-ablation --embeddings-dir): the head's mixture from
/// mclust's hierarchical starts (SVD and VARS, as the trainers' head), with the split/merge search, and with extra
/// starts chosen by likelihood — k-means partitions, and the nearest-prototype partitions of the trainers' diagonal
/// mixture; per seed ARI and log-likelihood, then the means. The truth-started fit's likelihood is a diagnostic only.
/// Arguments: <see cref="Options"/>.
/// </summary>
public sealed class CrctHeadBenchmark : IBenchmark
{
    public string Name => "crct-head";
    public string Description => "final-labelling variants (hierarchical / +search / +k-means or prototype starts) on cached embeddings";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--cache", "DIR", "folder of <dataset>-<method>-<seed>.bin embeddings (required)"),
        BenchmarkOption.Value("--dataset", "NAME", $"one of {string.Join(", ", CrctDatasets.Names)} (default triplet)"),
        BenchmarkOption.Value("--method", "NAME", "method part of the file names (default crct-full)"),
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 5-19)"),
        BenchmarkOption.Value("--starts", "N", "k-means starts added to the hierarchical ones (default 10)"),
    };

    public int Run(string[] args)
    {
        var cache = Arg(args, "--cache", "");
        if (cache.Length == 0) throw new ArgumentException("--cache DIR is required.");
        var datasetName = Arg(args, "--dataset", "triplet");
        var method = Arg(args, "--method", "crct-full");
        var seeds = Arg(args, "--seeds", "5-19").Split('-');
        int first = int.Parse(seeds[0], CultureInfo.InvariantCulture), last = int.Parse(seeds[^1], CultureInfo.InvariantCulture);
        int starts = int.Parse(Arg(args, "--starts", "10"), CultureInfo.InvariantCulture);
        var section = CrctDatasets.Load(new Microsoft.ML.MLContext(seed: 0), datasetName);
        var names = section.Truth.Select(t => t ?? "").Distinct().OrderBy(t => t, StringComparer.Ordinal).ToArray();
        var truth = section.Truth.Select(t => Array.IndexOf(names, t ?? "")).ToArray();
        int k = section.Clusters;
        string[] variants = { "hier", "hier+search", $"hier+km{starts}", "hier+proto3" };
        var aris = variants.ToDictionary(v => v, _ => new List<double>());
        var options = new MclustOptions { Seed = 2020, HierarchicalInputs = new[] { HierarchicalInput.Svd, HierarchicalInput.Vars } };
        var searching = new MclustOptions { Seed = 2020, HierarchicalInputs = options.HierarchicalInputs, SplitMergeSearch = true };
        Console.WriteLine($"{"seed",4} " + string.Join(" ", variants.Select(v => $"{v + " ARI",22} {"loglik",10}")) + $" {"truth loglik",12}");
        for (int seed = first; seed <= last; seed++)
        {
            var x = EmbeddingCache.Read(Path.Combine(cache, $"{datasetName}-{method}-{seed}.bin"));
            var pca = PcaModel.Fit(new FeatureMatrix(x), 20, SvdSolver.Exact).Transform(new FeatureMatrix(x));
            var hier = MclustFitter.Fit(pca, k, MixtureModelName.EEE, options);
            var fits = new List<GaussianMixture> { hier, MclustFitter.Fit(pca, k, MixtureModelName.EEE, searching) };
            var best = hier;
            for (int s = 0; s < starts; s++)
            {
                var km = KMeansClustering.Fit(pca, k, seed: s, restarts: 1);
                var fit = MclustFitter.FitFromPartition(pca, km.TrainingLabels.ToArray(), MixtureModelName.EEE, options);
                if (fit is not null && fit.Bic > best.Bic) best = fit;
            }
            fits.Add(best);
            var bestProto = hier;
            using (var t = global::TorchSharp.torch.tensor(x.Data.Select(v => (float)v).ToArray(), new long[] { x.Rows, x.Cols }))
                for (int s = 0; s < 3; s++)
                {
                    using var g = new global::TorchSharp.torch.Generator((ulong)(seed + s));
                    using var proto = MLNetSpatialOmics.TorchSharp.GraphLearning.FinalClustering.PlainPrototypes(t, k, g);
                    using var labels = global::TorchSharp.torch.argmax(t.mm(proto.t()), 1);
                    var l = labels.data<long>().Select(v => (int)v).ToArray();
                    if (l.Distinct().Count() < k) continue;
                    var fit = MclustFitter.FitFromPartition(pca, l, MixtureModelName.EEE, options);
                    if (fit is not null && fit.Bic > bestProto.Bic) bestProto = fit;
                }
            fits.Add(bestProto);
            var oracle = MclustFitter.FitFromPartition(pca, truth, MixtureModelName.EEE, options);
            var line = $"{seed,4} ";
            for (int v = 0; v < variants.Length; v++)
            {
                double ari = SpatialClusteringEvaluator.Evaluate(truth, fits[v].TrainingLabels.ToArray()).AdjustedRandIndex;
                aris[variants[v]].Add(ari);
                line += $"{ari,22:F4} {fits[v].LogLikelihood,10:F1} ";
            }
            Console.WriteLine(line + $"{oracle?.LogLikelihood ?? double.NaN,12:F1}");
        }
        Console.WriteLine($"mean " + string.Join(" ", variants.Select(v => $"{aris[v].Average(),22:F4} {"",10}")));
        Console.WriteLine($"min  " + string.Join(" ", variants.Select(v => $"{aris[v].Min(),22:F4} {"",10}")));
        return 0;
    }
}
