using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp.Trsmi;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Trsmi;

/// <summary>
/// The TRSMI paper's ablation table (baseline, each of RPR / Align / MS-APPNP / Sched-β alone, all four) on one
/// section, mean over seeds. Args: [--data triplet|hln] [--modalities RNA,ADT,ATAC] [--seeds 0-2] [--epochs N] [--threads 1] [--set TrsmiOption=value ...].
/// </summary>
public sealed class TrsmiAblationBenchmark : IBenchmark
{
    public string Name => "trsmi-ablation";
    public string Description => "TRSMI ablation table (RPR, Align, MS-APPNP, Sched-β on/off), mean metrics over seeds";

    private static readonly (string Name, bool Rpr, bool Align, bool Ms, bool Sched)[] Rows =
    {
        ("baseline", false, false, false, false),
        ("+RPR", true, false, false, false),
        ("+Align", false, true, false, false),
        ("+MS-APPNP", false, false, true, false),
        ("+Sched-beta", false, false, false, true),
        ("TRSMI (all)", true, true, true, true),
    };

    public int Run(string[] args)
    {
        TrainerRuns.ConfigureThreads(args);
        var data = TrainerRuns.Arg(args, "--data", "triplet");
        var context = new MLContext(seed: 0);
        var section = data == "hln"
            ? TrsmiBenchmarkData.HumanLymphNodeAdt(context)
            : TrsmiBenchmarkData.Triplet(context, TrainerRuns.Arg(args, "--modalities", "RNA,ADT,ATAC").Split(',', StringSplitOptions.RemoveEmptyEntries));
        var (first, last) = TrainerRuns.Seeds(args, "0-2");
        int? epochs = args.Contains("--epochs") ? int.Parse(TrainerRuns.Arg(args, "--epochs", "0")) : null;

        Console.WriteLine($"TRSMI ablation on {section.Name}: {section.Truth.Count} spots, seeds {first}-{last} (means)");
        Console.WriteLine("| row | RPR | Align | MS-APPNP | Sched-β | ARI | NMI | Overall-Avg | s/run |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in Rows)
        {
            var results = new List<double[]>();
            double seconds = 0;
            for (int seed = first; seed <= last; seed++)
            {
                var trainer = TrainerRuns.Trsmi(context, section, seed, epochs, o =>
                {
                    o.UseRpr = row.Rpr;
                    o.UseAlignment = row.Align;
                    o.UseMultiScaleAppnp = row.Ms;
                    o.UseScheduledGate = row.Sched;
                });
                var (values, sec) = TrainerRuns.Score(section, trainer);
                results.Add(values);
                seconds += sec;
            }
            var mean = TrainerRuns.Mean(results);
            static string Mark(bool on) => on ? "✓" : "✗";
            Console.WriteLine($"| {row.Name} | {Mark(row.Rpr)} | {Mark(row.Align)} | {Mark(row.Ms)} | {Mark(row.Sched)} | " +
                $"{mean[SummaryScores.Ari]:F4} | {mean[SummaryScores.Nmi]:F4} | {mean[SummaryScores.Overall]:F4} | {seconds / results.Count:F1} |");
        }
        return 0;
    }
}
