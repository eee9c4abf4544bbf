using System.Diagnostics;
using MLNetSpatialOmics.Evaluation;

namespace MLNetSpatialOmics.Benchmarks.Evaluation;

/// <summary>
/// Times the full evaluator (every metric incl. the exact expected MI and the Hungarian matching, plus 6-NN spatial
/// coherence) on a synthetic section: 20 true domains as bands of a 1000×1000 grid, a prediction that keeps 80% of
/// labels and re-draws the rest among 20 clusters. Target: 1,000,000 spots in under 2 s.
/// </summary>
public sealed class EvaluatorBenchmark : IBenchmark
{
    public string Name => "evaluate";
    public string Description => "clustering evaluator on N spots (default 1,000,000): all metrics + spatial coherence";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("N", "spots (default 1000000)"),
        BenchmarkOption.Positional("classes", "true domains, and clusters in the prediction (default 20)"),
    };

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        int classes = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        int side = (int)Math.Ceiling(Math.Sqrt(n));
        var rng = new Random(42);
        var truth = new int[n];
        var pred = new int[n];
        for (int i = 0; i < n; i++)
        {
            truth[i] = (int)((long)(i % side) * classes / side);
            pred[i] = rng.NextDouble() < 0.8 ? (truth[i] * 7 + 3) % classes : rng.Next(classes);
        }
        // Lattice 4-neighbourhood plus diagonals-lite: the 6 nearest on a square grid with index tie-break.
        var nb = new int[n][];
        for (int i = 0; i < n; i++)
        {
            int r = i / side, c = i % side;
            var list = new List<int>(6);
            foreach (var (dr, dc) in new[] { (-1, 0), (0, -1), (0, 1), (1, 0), (-1, -1), (-1, 1) })
            {
                int rr = r + dr, cc = c + dc, j = rr * side + cc;
                if (rr >= 0 && cc >= 0 && cc < side && j < n) list.Add(j);
            }
            nb[i] = list.ToArray();
        }

        var sw = Stopwatch.StartNew();
        var noSpatial = SpatialClusteringEvaluator.Evaluate(truth, pred);
        double tMetrics = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var withSpatial = SpatialClusteringEvaluator.Evaluate(truth, pred, nb);
        double tAll = sw.Elapsed.TotalSeconds;

        Console.WriteLine($"spots {n:N0}, classes {classes}, clusters {noSpatial.Contingency.ColumnCount}");
        Console.WriteLine($"all metrics (MI/NMI/AMI+EMI/ARI/RI/FMI/V/pair F1,Jaccard/purity/Hungarian): {tMetrics:F3} s");
        Console.WriteLine($"same + spatial coherence on 6-NN lists:                               {tAll:F3} s");
        Console.WriteLine($"ARI {withSpatial.AdjustedRandIndex:F4}  AMI {withSpatial.AdjustedMutualInformation:F4}  neighbour agreement {withSpatial.Spatial!.NeighbourAgreement:F4}");
        Console.WriteLine($"peak RSS {PeakMemory.PeakMegabytes():F0} MB; target < 2 s: {(tAll < 2 ? "met" : "NOT met")}");
        return 0;
    }
}
