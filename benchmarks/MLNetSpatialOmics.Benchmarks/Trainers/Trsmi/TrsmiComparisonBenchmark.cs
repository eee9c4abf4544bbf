using Microsoft.ML;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Trsmi;

/// <summary>
/// TRSMI vs PRAGA vs CRCT on one section, same seeds, same preprocessing (praga-triplet's: the h5ad X layer through
/// PRAGA's "Simulation" preset for the triplet; CLR → scale → PCA for hln_a1), each with its own dataset preset:
/// ten metrics + the paper's summary scores per seed and their means. Arguments: <see cref="Options"/>.
/// </summary>
public sealed class TrsmiComparisonBenchmark : IBenchmark
{
    public string Name => "trsmi-vs-praga";
    public string Description => "TRSMI, PRAGA and CRCT on the triplet simulation or hln_a1 (ADT), metrics + summary scores per seed";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--data", "triplet|hln", "section; anything but hln means triplet (default triplet)"),
        BenchmarkOption.Value("--modalities", "LIST", "triplet only: comma-separated subset of RNA,ADT,ATAC (default RNA,ADT,ATAC)"),
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 0-4)"),
        BenchmarkOption.Value("--epochs", "N", "every method's epochs (default: each method's preset)"),
        BenchmarkOption.Value("--methods", "LIST", "comma-separated subset of trsmi,praga,crct (default trsmi,praga,crct)"),
    }.Concat(TrainerRuns.SharedOptions).ToArray();

    public int Run(string[] args)
    {
        TrainerRuns.ConfigureThreads(args);
        var data = BenchmarkArgs.Arg(args, "--data", "triplet");
        var context = new MLContext(seed: 0);
        var section = data == "hln"
            ? TrsmiBenchmarkData.HumanLymphNodeAdt(context)
            : TrsmiBenchmarkData.Triplet(context, BenchmarkArgs.Arg(args, "--modalities", "RNA,ADT,ATAC").Split(',', StringSplitOptions.RemoveEmptyEntries));
        var (first, last) = TrainerRuns.Seeds(args, "0-4");
        int? epochs = args.Contains("--epochs") ? int.Parse(BenchmarkArgs.Arg(args, "--epochs", "0")) : null;
        var methods = BenchmarkArgs.Arg(args, "--methods", "trsmi,praga,crct").Split(',', StringSplitOptions.RemoveEmptyEntries);

        Console.WriteLine($"{section.Name}: {section.Truth.Count} spots, {section.Clusters} domains, seeds {first}-{last}");
        Console.WriteLine(TrainerRuns.Header("method seed"));
        foreach (var method in methods)
        {
            var rows = new List<double[]>();
            double seconds = 0;
            for (int seed = first; seed <= last; seed++)
            {
                IEstimator<ITransformer> trainer = method switch
                {
                    "trsmi" => (IEstimator<ITransformer>)TrainerRuns.Trsmi(context, section, seed, epochs),
                    "praga" => (IEstimator<ITransformer>)TrainerRuns.Praga(context, section, seed, epochs),
                    "crct" => (IEstimator<ITransformer>)TrainerRuns.Crct(context, section, seed, epochs),
                    _ => throw new ArgumentException($"--methods takes trsmi, praga and/or crct, not '{method}'."),
                };
                var (values, sec) = TrainerRuns.Score(section, trainer, TrainerRuns.ReportAlignment);
                rows.Add(values);
                seconds += sec;
                Console.WriteLine(TrainerRuns.Row($"{method} {seed}", values, sec));
            }
            Console.WriteLine(TrainerRuns.Row($"{method} mean", TrainerRuns.Mean(rows), seconds / rows.Count));
        }
        return 0;
    }
}
