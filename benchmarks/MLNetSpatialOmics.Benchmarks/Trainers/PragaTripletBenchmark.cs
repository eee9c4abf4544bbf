using System.Diagnostics;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Praga;

namespace MLNetSpatialOmics.Benchmarks.Trainers;

/// <summary>
/// PRAGA on the SpatialGlue triplet simulation with PRAGA's "Simulation" preprocessing and settings; all ten metrics
/// per seed plus mean ± sd.
/// Args: [--modalities RNA,ADT,ATAC] [--seeds 0-4] [--epochs 200] [--layer X|counts] [--fusion random|half].
/// </summary>
public sealed class PragaTripletBenchmark : IBenchmark
{
    public string Name => "praga-triplet";
    public string Description => "PRAGA on the triplet simulation (RNA+ADT+ATAC or a subset), 10 metrics per seed";

    public int Run(string[] args)
    {
        var modalities = Arg(args, "--modalities", "RNA,ADT,ATAC").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var seedRange = Arg(args, "--seeds", "0-4").Split('-');
        int first = int.Parse(seedRange[0]), last = int.Parse(seedRange[^1]);
        int? epochs = args.Contains("--epochs") ? int.Parse(Arg(args, "--epochs", "200")) : null;

        // PRAGA's main.py reads adata.X (counts + rounded noise), not layers/counts.
        var layer = Arg(args, "--layer", "X");
        bool randomFusion = Arg(args, "--fusion", "random") == "random";
        var section = TripletSection.Load(TripletSection.DataDirectory(), layer);
        var features = new Dictionary<string, DenseMatrix>
        {
            ["RNA"] = InterimPreprocessing.Pca(InterimPreprocessing.NormalizeLog1p(section.Counts["RNA"]), 100),
            ["ADT"] = InterimPreprocessing.Pca(InterimPreprocessing.Clr(section.Counts["ADT"]), 100),
            ["ATAC"] = InterimPreprocessing.Lsi(section.Counts["ATAC"], 100),
        };
        var columns = new List<InMemoryColumn>
        {
            InMemoryColumn.Text(SectionColumns.SpotId, section.SpotIds),
            InMemoryColumn.Single(SectionColumns.X, section.Coordinates.ToRows().Select(r => (float)r[0]).ToArray()),
            InMemoryColumn.Single(SectionColumns.Y, section.Coordinates.ToRows().Select(r => (float)r[1]).ToArray()),
        };
        foreach (var m in modalities) columns.Add(InMemoryColumn.Vector(m, features[m]));
        var data = new InMemoryDataView(columns);

        Console.WriteLine($"PRAGA triplet: {section.SpotIds.Length} spots, modalities {string.Join("+", modalities)}, seeds {first}-{last}");
        Console.WriteLine("seed  " + string.Join(" ", InterimClusteringMetrics.Names.Select(n => $"{n,7}")) + "   seconds");
        var all = new List<double[]>();
        var context = new MLContext(seed: 0);
        for (int seed = first; seed <= last; seed++)
        {
            var options = PragaOptions.Simulation(modalities);
            options.Seed = seed;
            options.Device = "cpu";
            options.RandomFusionInit = randomFusion;
            if (epochs is { } e) options.Epochs = e;
            var sw = Stopwatch.StartNew();
            var model = context.Clustering.Trainers.Praga(options).Fit(data);
            var output = model.Transform(data);
            var labels = MLNetSpatialOmics.TorchSharp.GraphLearning.TrainerOutputs.ReadPredictedLabels(output);
            var metrics = InterimClusteringMetrics.Compute(section.Truth, labels);
            all.Add(metrics);
            Console.WriteLine($"{seed,4}  " + string.Join(" ", metrics.Select(v => $"{v,7:F4}")) + $"   {sw.Elapsed.TotalSeconds,7:F1}");
        }
        var mean = Enumerable.Range(0, InterimClusteringMetrics.Names.Length).Select(j => all.Average(r => r[j])).ToArray();
        var sd = Enumerable.Range(0, mean.Length).Select(j => Math.Sqrt(all.Sum(r => Math.Pow(r[j] - mean[j], 2)) / Math.Max(1, all.Count - 1))).ToArray();
        Console.WriteLine("mean  " + string.Join(" ", mean.Select(v => $"{v,7:F4}")));
        Console.WriteLine("sd    " + string.Join(" ", sd.Select(v => $"{v,7:F4}")));
        return 0;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
