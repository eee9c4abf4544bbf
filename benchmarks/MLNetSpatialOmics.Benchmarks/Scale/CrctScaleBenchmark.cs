using System.Diagnostics;
using System.Globalization;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Simulation;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.Trsmi;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Scale;

/// <summary>
/// CRCT end to end on the tiled ggblocks simulation (2 modalities × 50 reduced dims, 5 domains) at growing N: graph
/// building, training, final clustering, peak memory and ARI/NMI against the generator's domains.
/// Arguments: <see cref="Options"/>. --method trsmi runs the same job with TRSMI's Simulation preset.
/// --graph-cache keeps the feature neighbour lists on disk between runs: graph time is then reading, not searching.
/// Run one size per process for clean peak-memory figures (peak RSS is cumulative over the process). CPU seconds (all
/// threads of this process) are reported next to wall seconds because the machine may be shared; progress goes to stderr.
/// </summary>
public sealed class CrctScaleBenchmark : IBenchmark
{
    public string Name => "crct-scale";
    public string Description => "CRCT (or TRSMI: --method trsmi) end to end at 10k/100k/1M spots (tiled simulation, 2 × 50 dims): time, s/epoch, peak memory, ARI";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--sizes", "LIST", "comma-separated spot counts (default 10000,100000)"),
        BenchmarkOption.Value("--epochs", "N", "training epochs (default 200)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default 2)"),
        BenchmarkOption.Value("--seed", "S", "training seed (default 0)"),
        BenchmarkOption.Value("--method", "crct|trsmi", "trainer (default crct)"),
        BenchmarkOption.Value("--graph-cache", "DIR", "keep feature neighbour lists in DIR between runs (default: no cache)"),
        BenchmarkOption.Value("--batch-size", "N", "spots per mini-batch block (default: the trainer's, CRCT 65536, TRSMI 16384)"),
        BenchmarkOption.Value("--mini-batch-above", "N", "train in mini-batches above N spots, 0 = always (default: the trainer's, 200000)"),
    };

    public int Run(string[] args)
    {
        var sizes = Arg(args, "--sizes", "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int epochs = int.Parse(Arg(args, "--epochs", "200"), CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg(args, "--threads", "2"), CultureInfo.InvariantCulture);
        int seed = int.Parse(Arg(args, "--seed", "0"), CultureInfo.InvariantCulture);
        bool trsmi = Arg(args, "--method", "crct") switch
        {
            "crct" => false,
            "trsmi" => true,
            var other => throw new ArgumentException($"--method must be crct or trsmi; got '{other}'."),
        };
        global::TorchSharp.torch.set_num_threads(threads);
        if (args.Contains("--graph-cache"))
        {
            var cache = new NeighborListCache(Arg(args, "--graph-cache", "graph-cache"));
            MLNetSpatialOmics.TorchSharp.GraphLearning.SectionGraphs.FeatureNeighborSource = cache.GetOrCompute;
        }
        Console.WriteLine($"{"N",9} {"mode",5} {"sim s",6} {"graphs s",8} {"train s",8} {"s/epoch",8} {"cpu-s/ep",8} {"cluster s",9} {"total s",8} {"total cpu-s",11} {"peak MB",8} {"ARI",6} {"NMI",6}");
        var process = System.Diagnostics.Process.GetCurrentProcess();
        double Cpu() { process.Refresh(); return process.TotalProcessorTime.TotalSeconds; }
        foreach (int n in sizes)
        {
            var sw = Stopwatch.StartNew();
            var sim = LargeSectionSimulator.Simulate(new LargeSectionOptions { SpotCount = n, Features = LargeSectionFeatures.Reduced });
            double simSeconds = sw.Elapsed.TotalSeconds;
            var section = sim.Section;
            var coords = new DenseMatrix(n, 2);
            for (int i = 0; i < n; i++) { coords[i, 0] = section.X[i]; coords[i, 1] = section.Y[i]; }
            var modalities = section.Modalities.Select(m => m.ToDense()).ToArray();

            var names = section.Modalities.Select(m => m.Name).ToArray();
            int? batchSize = args.Contains("--batch-size") ? int.Parse(Arg(args, "--batch-size", "65536"), CultureInfo.InvariantCulture) : null;
            int? threshold = args.Contains("--mini-batch-above") ? int.Parse(Arg(args, "--mini-batch-above", "200000"), CultureInfo.InvariantCulture) : null;
            double cpuStart = Cpu(), lastCpu = cpuStart;
            var epochCpu = new List<double>();
            double trainStart = double.NaN, lastEpochEnd = double.NaN;
            var epochSeconds = new List<double>();
            sw.Restart();
            // The terms show which part of the objective moves (the total alone hid which term grows in mini-batch runs).
            void Track(int epoch, int epochCount, double loss, string terms)
            {
                double now = sw.Elapsed.TotalSeconds;
                double cpu = Cpu();
                if (epoch == 0) trainStart = now;
                else { epochSeconds.Add(now - lastEpochEnd); epochCpu.Add(cpu - lastCpu); }
                lastEpochEnd = now;
                lastCpu = cpu;
                if (epoch % 10 == 0 || epoch < 3 || epoch == epochCount - 1)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[crct-scale N={n}] epoch {epoch + 1}/{epochCount} at {now:F0} s (cpu {cpu - cpuStart:F0} s), loss {loss:F4} ({terms}), rss {process.WorkingSet64 / 1e6:F0} MB, peak {PeakMemory.PeakMegabytes():F0} MB"));
            }
            string mode;
            float[] embeddingValues;
            int latentDim;
            ClusteringHeadTransformer head;
            IDisposable network;
            if (trsmi)
            {
                var options = TrsmiOptions.Simulation(names);
                options.Clusters = 5;
                options.Epochs = epochs;
                options.Seed = seed;
                options.Device = "cpu";
                if (batchSize is { } b) options.BatchSize = b;
                if (threshold is { } t) options.MiniBatchThreshold = t;
                mode = options.UsesMiniBatches(n) ? "mini" : "full";
                options.Progress = p => Track(p.Epoch, p.Epochs, p.Total,
                    string.Create(CultureInfo.InvariantCulture, $"rec {p.Reconstruction:F4} proto {p.Prototype:F4} graph {p.Graph:F4} beta {p.Beta:F2}"));
                var fit = TrsmiFitter.Fit(coords, modalities, options);
                (embeddingValues, latentDim, head, network) = (fit.Embedding, fit.LatentDim, fit.Clustering, fit.Network);
            }
            else
            {
                var options = CrctOptions.ForDataset("simulation", names);
                options.Praga.Epochs = epochs;
                options.Praga.Seed = seed;
                options.Praga.Device = "cpu";
                if (batchSize is { } b) options.Praga.BatchSize = b;
                if (threshold is { } t) options.Praga.MiniBatchThreshold = t;
                mode = options.Praga.UsesMiniBatches(n) ? "mini" : "full";
                options.Progress = p => Track(p.Epoch, p.Epochs, p.Total,
                    string.Create(CultureInfo.InvariantCulture, $"rec {p.Reconstruction:F4} aug {p.Augmented:F4} graph {p.Graph:F4} cluster {p.Cluster:F4}"));
                var fit = CrctFitter.Fit(coords, modalities, options);
                (embeddingValues, latentDim, head, network) = (fit.Embedding, fit.LatentDim, fit.Clustering, fit.Network);
            }
            double total = sw.Elapsed.TotalSeconds;
            // Time before the first epoch's report is graph building + setup + epoch 0; epoch 0 is charged as a median epoch.
            var sorted = epochSeconds.OrderBy(t => t).ToArray();
            double perEpoch = sorted.Length > 0 ? sorted[sorted.Length / 2] : trainStart;
            double graphs = trainStart - perEpoch;
            double train = lastEpochEnd - graphs;
            double clustering = total - lastEpochEnd;
            double totalCpu = Cpu() - cpuStart + simSeconds;   // the simulator is single-threaded
            var sortedCpu = epochCpu.OrderBy(t => t).ToArray();
            double cpuPerEpoch = sortedCpu.Length > 0 ? sortedCpu[sortedCpu.Length / 2] : double.NaN;

            var embedding = new DenseMatrix(n, latentDim);
            for (int i = 0; i < embedding.Data.Length; i++) embedding.Data[i] = embeddingValues[i];
            head.Score(embedding, out var labels);
            var metrics = SpatialClusteringEvaluator.Evaluate(sim.Domains, labels);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n,9} {mode,5} {simSeconds,6:F1} {graphs,8:F1} {train,8:F1} {perEpoch,8:F2} {cpuPerEpoch,8:F2} {clustering,9:F1} {total + simSeconds,8:F1} {totalCpu,11:F0} {PeakMemory.PeakMegabytes(),8:F0} {metrics.AdjustedRandIndex,6:F3} {metrics.NormalizedMutualInformation,6:F3}"));
            network.Dispose();
        }
        return 0;
    }
}
