using System.Runtime.Intrinsics.X86;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Weight decay of the learnable feature graphs when a trainer steps once per spatial block: each block decays the
/// edges of its target spots' rows, so over an epoch every edge is decayed once, as in a full batch. The optimiser must
/// then leave these weights undecayed (<see cref="Parameters"/>).
/// <para>
/// Why: SGD's own decay acts on every weight at every step. With B blocks per epoch the learned graph was decayed B
/// times per epoch and shrank away from its initial values about B times as fast as in full batch, and Eq. 12's
/// regulariser grew epoch after epoch (100k spots, 7 blocks, 31 epochs: 1.47 against 0.11 in full batch; 0.0006 with
/// no decay). Decaying only the edges the block's loss reaches is not enough: a spot's feature neighbours lie in other
/// blocks, so an edge is reached from both ends' blocks and decayed about twice per epoch (0.36). With this class:
/// 0.148 (the rest is the blocks' larger steps), ARI unchanged, 0.78 → 0.85 s per epoch. A full batch, or one step per
/// epoch over accumulated blocks, keeps the optimiser's own decay (<see cref="Applies"/> is false).
/// </para>
/// </summary>
internal sealed unsafe class BlockEdgeDecay
{
    private readonly IReadOnlyList<LearnableFeatureGraph> _graphs;
    private readonly double _weightDecay;

    public BlockEdgeDecay(IReadOnlyList<LearnableFeatureGraph> graphs, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be finite and non-negative.");
        _graphs = graphs;
        _weightDecay = weightDecay;
    }

    /// <summary>Whether a trainer stepping this way needs it: blocks, one step per block, and some decay.</summary>
    public static bool Applies(bool miniBatch, bool stepPerBatch, double weightDecay) => miniBatch && stepPerBatch && weightDecay > 0;

    /// <summary>The edge weights this class decays: the optimiser must not decay them too.</summary>
    public IEnumerable<Parameter> Parameters => _graphs.Select(g => g.Weights);

    /// <summary>
    /// Adds the decay of the block whose targets are <paramref name="targetNodes"/> (global spot indices; the blocks of
    /// an epoch partition the spots) to the edge weights' gradients. Call after the backward pass, before the step.
    /// </summary>
    public void AddToGradients(IReadOnlyList<int> targetNodes)
    {
        ArgumentNullException.ThrowIfNull(targetNodes);
        foreach (var graph in _graphs) graph.AddDecayOnRows(targetNodes, _weightDecay);
    }

    /// <summary>
    /// g_e += c·w_e on the edges of <paramref name="rows"/> (CSR ranges of <paramref name="rowPtr"/>), then
    /// g_rev(e) += c·w_rev(e) on their reverses, in two parallel passes: rows are distinct and the reverse map is a
    /// bijection, so neither pass has two writers on one entry, and each entry's sum (own part, then reverse part) does
    /// not depend on the thread count. The reverse entries are random over the whole graph, so they are prefetched
    /// ahead of use, and with <paramref name="symmetric"/> weights (w_rev(e) = w_e bit for bit) w_e stands in for
    /// w_rev(e). Torch ops needed an id list over the block's edges and two single-threaded scatters.
    /// </summary>
    internal static void AddOnCpu(Tensor grad, Tensor weights, Tensor reverse, long[] rowPtr, IReadOnlyList<int> rows, double scale,
        bool symmetric)
    {
        var rowList = rows as int[] ?? rows.ToArray();
        float c = (float)scale;
        float* g = CsrKernels.Pointer(grad), w = CsrKernels.Pointer(weights);
        long* rev = BlockEdgeValues.Long(reverse);
        long edges = 0;
        foreach (int r in rowList) edges += rowPtr[r + 1] - rowPtr[r];
        BlockEdgeValues.Parallel(rowList.Length, edges, (start, end) =>
        {
            for (long i = start; i < end; i++)
                for (long e = rowPtr[rowList[i]], stop = rowPtr[rowList[i] + 1]; e < stop; e++) g[e] += c * w[e];
        });
        BlockEdgeValues.Parallel(rowList.Length, edges, (start, end) =>
        {
            if (start >= end) return;
            // A cursor PrefetchDistance edges ahead over this chunk's rows: the reverse entries are random over the
            // whole graph, and a row holds only tens of edges at scale.
            long ahead = start, aheadEdge = rowPtr[rowList[start]] - 1, aheadStop = rowPtr[rowList[start] + 1];
            void Advance()
            {
                if (++aheadEdge < aheadStop) return;
                while (++ahead < end)
                {
                    aheadEdge = rowPtr[rowList[ahead]];
                    aheadStop = rowPtr[rowList[ahead] + 1];
                    if (aheadEdge < aheadStop) return;
                }
            }
            if (prefetch) for (int d = 0; d < PrefetchDistance; d++) Advance();
            for (long i = start; i < end; i++)
                for (long e = rowPtr[rowList[i]], stop = rowPtr[rowList[i] + 1]; e < stop; e++)
                {
                    if (prefetch && ahead < end)
                    {
                        long far = rev[aheadEdge];
                        Sse.Prefetch0(g + far);
                        if (!symmetric) Sse.Prefetch0(w + far);
                        Advance();
                    }
                    long r = rev[e];
                    g[r] += c * (symmetric ? w[e] : w[r]);
                }
        });
    }

    private const int PrefetchDistance = 16;
    private static readonly bool prefetch = Sse.IsSupported;
}
