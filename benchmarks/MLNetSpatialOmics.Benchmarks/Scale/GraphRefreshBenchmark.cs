using System.Diagnostics;
using System.Globalization;
using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static TorchSharp.torch;
using static MLNetSpatialOmics.Benchmarks.BenchmarkArgs;

namespace MLNetSpatialOmics.Benchmarks.Scale;

/// <summary>
/// The learnable feature graph's once-per-epoch degree refresh at section scale: the direct map
/// (gather each edge's reverse weight, symmetrise, ReLU, row sums) against <see cref="LearnableFeatureGraph.RefreshDegrees"/>
/// (row + column sums, negative pairs taken back), on a random symmetric kNN-like graph whose neighbours are scattered
/// over the whole section, as feature neighbours are.
/// Arguments: <see cref="Options"/>.
/// </summary>
public sealed class GraphRefreshBenchmark : IBenchmark
{
    public string Name => "graph-refresh";
    public string Description => "degree refresh of the learnable feature graph: reverse-edge gather vs row+column sums, at 100k/1M spots";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Value("--sizes", "LIST", "comma-separated spot counts (default 100000,1000000)"),
        BenchmarkOption.Value("--k", "K", "neighbours per spot (default 20)"),
        BenchmarkOption.Value("--repeats", "N", "timed repeats; the fastest is reported (default 3)"),
        BenchmarkOption.Value("--threads", "T", "torch intra-op threads (default 1)"),
    };

    public int Run(string[] args)
    {
        var sizes = Arg(args, "--sizes", "100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int k = int.Parse(Arg(args, "--k", "20"), CultureInfo.InvariantCulture);
        int repeats = int.Parse(Arg(args, "--repeats", "3"), CultureInfo.InvariantCulture);
        set_num_threads(int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture));
        Console.WriteLine($"{"N",9} {"edges",11} {"gather s",9} {"sums s",8} {"max |Δ|",9}");
        foreach (int n in sizes)
        {
            var rng = new Random(n);
            var indices = new int[n * k];
            var distances = new double[n * k];
            var row = new HashSet<int>();
            for (int i = 0; i < n; i++)
            {
                row.Clear();
                for (int q = 0; q < k; q++)
                {
                    int j;
                    do j = rng.Next(n); while (j == i || !row.Add(j));
                    indices[i * k + q] = j;
                    distances[i * k + q] = q + 1;
                }
            }
            var csr = GraphOps.PragaNormalizedAdjacency(new NeighborList(n, k, indices, distances));
            using var support = SparseGraph.FromCsr(csr, CPU);
            using var graph = new LearnableFeatureGraph(support);
            using (no_grad()) graph.Weights.add_(randn(support.EdgeCount) * 0.01);
            using var reverse = support.ReverseEdgeIndex();
            using var diagonal = support.DiagonalMask();

            double gather = double.MaxValue, sums = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                using (no_grad())
                using (NewDisposeScope())
                {
                    var withSelf = nn.functional.relu((graph.Weights + graph.Weights.index_select(0, reverse)) * 0.5) + diagonal;
                    GraphNormalization.InverseRootDegree(support.Rows, withSelf, n);
                }
                gather = Math.Min(gather, sw.Elapsed.TotalSeconds);
                sw.Restart();
                graph.RefreshDegrees();
                sums = Math.Min(sums, sw.Elapsed.TotalSeconds);
            }
            // Every edge's value with the refreshed degrees against the exactly normalised graph (direct map).
            using var all = arange(support.EdgeCount);
            using var values = graph.ValuesFor(all);
            using var expected = graph.NormalizedValues();
            double gap = (values - expected).abs().max().item<float>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n,9} {support.EdgeCount,11} {gather,9:F3} {sums,8:F3} {gap,9:G3}"));
        }
        return 0;
    }
}
