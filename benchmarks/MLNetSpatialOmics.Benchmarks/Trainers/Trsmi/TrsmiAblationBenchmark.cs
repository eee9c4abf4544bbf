using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp.Trsmi;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Trsmi;

/// <summary>
/// The TRSMI paper's ablation table (baseline, each of RPR / Align / MS-APPNP / Sched-β alone, all four) on one
/// section, mean over seeds. Arguments: <see cref="Options"/>; --align-variants adds two rows: the full model with the
/// alignment's W_m fully learnable, near-identity and PyTorch-default start.
/// On the triplet TRSMI runs with <see cref="TrsmiOptions.Simulation"/>, on hln_a1 with the paper's defaults.
/// </summary>
public sealed class TrsmiAblationBenchmark : IBenchmark
{
    public string Name => "trsmi-ablation";
    public string Description => "TRSMI ablation table (RPR, Align, MS-APPNP, Sched-β on/off), mean metrics over seeds";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--data", "triplet|hln", "section; anything but hln means triplet (default triplet)"),
        BenchmarkOption.Value("--modalities", "LIST", "triplet only: comma-separated subset of RNA,ADT,ATAC (default RNA,ADT,ATAC)"),
        BenchmarkOption.Value("--seeds", "A-B", "seed range, inclusive (default 0-2)"),
        BenchmarkOption.Value("--epochs", "N", "TRSMI epochs (default: the preset's)"),
        BenchmarkOption.Flag("--align-variants", "two more rows: the alignment's W_m fully learnable (default off)"),
    }.Concat(TrainerRuns.SharedOptions).ToArray();

    private static readonly (string Name, bool Rpr, bool Align, bool Ms, bool Sched, Action<TrsmiOptions>? Variant)[] Rows =
    {
        ("baseline", false, false, false, false, null),
        ("+RPR", true, false, false, false, null),
        ("+Align", false, true, false, false, null),
        ("+MS-APPNP", false, false, true, false, null),
        ("+Sched-beta", false, false, false, true, null),
        ("TRSMI (all)", true, true, true, true, null),
    };

    /// <summary>With --align-variants: the full model with the alignment's W_m as the paper literally writes it.</summary>
    private static readonly (string Name, bool Rpr, bool Align, bool Ms, bool Sched, Action<TrsmiOptions>? Variant)[] AlignmentVariants =
    {
        ("all, learnable self block of W_m", true, true, true, true, o => o.AlignmentFixedSelfPath = false),
        ("all, learnable W_m, PyTorch-default init", true, true, true, true, o => { o.AlignmentFixedSelfPath = false; o.AlignmentNearIdentityInit = false; }),
    };

    public int Run(string[] args)
    {
        TrainerRuns.ConfigureThreads(args);
        var data = BenchmarkArgs.Arg(args, "--data", "triplet");
        var context = new MLContext(seed: 0);
        var section = data == "hln"
            ? TrsmiBenchmarkData.HumanLymphNodeAdt(context)
            : TrsmiBenchmarkData.Triplet(context, BenchmarkArgs.Arg(args, "--modalities", "RNA,ADT,ATAC").Split(',', StringSplitOptions.RemoveEmptyEntries));
        var (first, last) = TrainerRuns.Seeds(args, "0-2");
        int? epochs = args.Contains("--epochs") ? int.Parse(BenchmarkArgs.Arg(args, "--epochs", "0")) : null;

        Console.WriteLine($"TRSMI ablation on {section.Name}: {section.Truth.Count} spots, seeds {first}-{last} (means)");
        Console.WriteLine("| row | RPR | Align | MS-APPNP | Sched-β | ARI | NMI | Overall-Avg | s/run |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in args.Contains("--align-variants") ? Rows.Concat(AlignmentVariants) : Rows)
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
                    row.Variant?.Invoke(o);
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
