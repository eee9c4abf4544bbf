using MLNetSpatialOmics.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Cuts a section into blocks of spatially contiguous target spots (Z-order of the coordinates, so a block's spatial
/// halo is its perimeter) and builds each block's <see cref="GraphBatch"/>: the context (targets plus their spatial
/// neighbours), the decoder's block of A_s, and per modality the feature-graph rows of the context — all of them, or a
/// seeded sample of <c>fanout</c> per row with the weights scaled by degree / fanout so the propagation stays unbiased.
/// A spatial fan-out samples the targets' spatial edges the same way (the context is then the sampled neighbours).
/// </summary>
internal sealed class MiniBatchPlanner
{
    private readonly SectionGraphs _graphs;
    private readonly IReadOnlyList<Tensor> _inputs;
    private readonly IReadOnlyList<Tensor> _spatialInputs;
    private readonly float[] _spatialValues;
    private readonly int _fanout;
    private readonly int _spatialFanout;
    private long[] _pick = new long[64];
    private readonly int _seed;
    private readonly int[] _localIndex;
    private readonly Device _device;

    /// <summary>Target spots of each block, ascending within a block.</summary>
    public IReadOnlyList<int[]> Blocks { get; }

    public MiniBatchPlanner(SectionGraphs graphs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> spatialInputs,
        DenseMatrix coordinates, int batchSize, int fanout, int seed, Device device, int spatialFanout = 0)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "a mini-batch needs at least one spot.");
        if (fanout < 0) throw new ArgumentOutOfRangeException(nameof(fanout), fanout, "the feature fan-out is 0 (all neighbours) or positive.");
        if (spatialFanout < 0) throw new ArgumentOutOfRangeException(nameof(spatialFanout), spatialFanout, "the spatial fan-out is 0 (all neighbours) or positive.");
        _spatialFanout = spatialFanout;
        _graphs = graphs;
        _inputs = inputs;
        _spatialInputs = spatialInputs;
        _fanout = fanout;
        _seed = seed;
        _device = device;
        using (var cpu = graphs.Spatial.Values.to(CPU)) _spatialValues = cpu.data<float>().ToArray();
        _localIndex = Enumerable.Repeat(-1, graphs.Spatial.NodeCount).ToArray();
        Blocks = ZOrderBlocks(coordinates, batchSize);
    }

    /// <summary>The order in which the blocks are visited in <paramref name="epoch"/> (seeded shuffle).</summary>
    public int[] EpochOrder(int epoch) => EpochOrder(Blocks.Count, _seed, epoch);

    /// <summary>A seeded shuffle of <paramref name="blockCount"/> blocks for <paramref name="epoch"/> (shared by every block trainer).</summary>
    internal static int[] EpochOrder(int blockCount, int seed, int epoch)
    {
        var order = Enumerable.Range(0, blockCount).ToArray();
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order);
        return order;
    }

    public GraphBatch Build(int block, int epoch)
    {
        var targets = Blocks[block];
        var spatial = _graphs.Spatial.Structure;
        var rng = new Random(unchecked(_seed * 7919 + epoch * 104_729 + block));
        // The decoder's edges per target: all spatial edges, or a fan-out sample scaled by degree / fan-out.
        var decoderEdges = new List<long>(targets.Length * 4);
        var decoderScale = new List<float>(targets.Length * 4);
        var decPtr = new long[targets.Length + 1];
        for (int r = 0; r < targets.Length; r++)
        {
            int t = targets[r];
            SampleRow(spatial.RowPtr[t], spatial.RowPtr[t + 1], _spatialFanout, rng, decoderEdges, decoderScale);
            decPtr[r + 1] = decoderEdges.Count;
        }
        // Context = targets ∪ the neighbours the decoder reads, ascending.
        var context = new List<int>(targets.Length * 2);
        foreach (var t in targets) Mark(t, context);
        foreach (var p in decoderEdges) Mark(spatial.Cols[p], context);
        context.Sort();
        for (int i = 0; i < context.Count; i++) _localIndex[context[i]] = i;
        var contextNodes = context.ToArray();

        var owned = new List<IDisposable>();
        try
        {
            // Decoder block: rows = targets, columns = context positions.
            var decCols = new int[decoderEdges.Count];
            var decVals = new float[decoderEdges.Count];
            for (int e = 0; e < decCols.Length; e++)
            {
                long p = decoderEdges[e];
                decCols[e] = _localIndex[spatial.Cols[p]];
                decVals[e] = _spatialValues[p] * decoderScale[e];
            }
            var decoder = new SparseOperator(new CsrStructure(targets.Length, contextNodes.Length, decPtr, decCols), _device);
            owned.Add(decoder);
            var decoderValues = tensor(decVals, device: _device);
            owned.Add(decoderValues);

            var positions = tensor(targets.Select(t => (long)_localIndex[t]).ToArray(), device: _device);
            var contextTensor = tensor(contextNodes.Select(c => (long)c).ToArray(), device: _device);
            var targetTensor = tensor(targets.Select(t => (long)t).ToArray(), device: _device);
            owned.Add(contextTensor);
            owned.Add(targetTensor);

            int modalities = _inputs.Count;
            var featureOps = new SparseOperator[modalities];
            var edgeIds = new Tensor?[modalities];
            var scales = new Tensor?[modalities];
            for (int m = 0; m < modalities; m++)
            {
                var (op, ids, scale) = FeatureRows(_graphs.Features[m].Structure, contextNodes, rng);
                featureOps[m] = op;
                edgeIds[m] = ids;
                scales[m] = scale;
                owned.Add(op);
                owned.Add(ids);
                if (scale is not null) owned.Add(scale);
            }

            var spatialInputs = _spatialInputs.Select(s => s.index_select(0, contextTensor).DetachFromDisposeScope()).ToArray();
            var targetInputs = _inputs.Select(x => x.index_select(0, targetTensor).DetachFromDisposeScope()).ToArray();
            owned.AddRange(spatialInputs);
            owned.AddRange(targetInputs);
            var inputs = _inputs;
            return new GraphBatch(
                (m, values) => featureOps[m].Propagate(inputs[m], scales[m] is { } s ? values * s : values),
                z => decoder.Propagate(z, decoderValues),
                owned)
            {
                ContextCount = contextNodes.Length,
                TargetPositions = positions,
                ContextNodes = contextNodes,
                TargetNodes = targets,
                SpatialInputs = spatialInputs,
                Targets = targetInputs,
                FeatureEdgeIds = edgeIds,
            };
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
        finally
        {
            foreach (var c in contextNodes) _localIndex[c] = -1;
        }
    }

    private void Mark(int node, List<int> context)
    {
        if (_localIndex[node] == -1)
        {
            _localIndex[node] = -2;
            context.Add(node);
        }
    }

    /// <summary>The feature-graph rows of the context (global columns), their global edge ids, and fan-out scales.</summary>
    private (SparseOperator Op, Tensor Ids, Tensor? Scale) FeatureRows(CsrStructure graph, int[] rows, Random rng)
    {
        var ptr = new long[rows.Length + 1];
        var ids = new List<long>();
        var scale = new List<float>();
        for (int r = 0; r < rows.Length; r++)
        {
            SampleRow(graph.RowPtr[rows[r]], graph.RowPtr[rows[r] + 1], _fanout, rng, ids, scale);
            ptr[r + 1] = ids.Count;
        }
        var cols = new int[ids.Count];
        for (int e = 0; e < cols.Length; e++) cols[e] = graph.Cols[ids[e]];
        var op = new SparseOperator(new CsrStructure(rows.Length, graph.ColumnCount, ptr, cols), _device);
        return (op, tensor(ids.ToArray(), device: _device), _fanout == 0 ? null : tensor(scale.ToArray(), device: _device));
    }

    /// <summary>
    /// Appends the edges [start, end) of one row — all of them (scale 1), or, when the row has more than
    /// <paramref name="fanout"/> &gt; 0, a seeded partial Fisher–Yates sample of that many in edge order, each scaled by
    /// degree / fanout so a sampled product is unbiased. Draws nothing from <paramref name="rng"/> for a kept-whole row.
    /// </summary>
    private void SampleRow(long start, long end, int fanout, Random rng, List<long> edges, List<float> scales)
    {
        int degree = (int)(end - start);
        if (fanout == 0 || degree <= fanout)
        {
            for (long p = start; p < end; p++) { edges.Add(p); scales.Add(1f); }
            return;
        }
        // One scratch buffer per planner: a sampled row is drawn for every context row of every block.
        if (_pick.Length < degree) _pick = new long[degree];
        var pick = _pick;
        for (int q = 0; q < degree; q++) pick[q] = start + q;
        for (int q = 0; q < fanout; q++)
        {
            int j = q + rng.Next(degree - q);
            (pick[q], pick[j]) = (pick[j], pick[q]);
        }
        Array.Sort(pick, 0, fanout);
        float factor = (float)degree / fanout;
        for (int q = 0; q < fanout; q++) { edges.Add(pick[q]); scales.Add(factor); }
    }

    /// <summary>
    /// Spots sorted along a Z-order (Morton) curve of their coordinates on a 2^16 grid, cut into ⌈N / batchSize⌉ blocks
    /// of near-equal size; each block is ascending in spot index.
    /// </summary>
    internal static int[][] ZOrderBlocks(DenseMatrix coordinates, int batchSize)
    {
        int n = coordinates.Rows;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, coordinates[i, 0]); maxX = Math.Max(maxX, coordinates[i, 0]);
            minY = Math.Min(minY, coordinates[i, 1]); maxY = Math.Max(maxY, coordinates[i, 1]);
        }
        double span = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-300);
        var keys = new ulong[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            uint gx = (uint)Math.Min(65535, (coordinates[i, 0] - minX) / span * 65535);
            uint gy = (uint)Math.Min(65535, (coordinates[i, 1] - minY) / span * 65535);
            keys[i] = Interleave(gx) | (Interleave(gy) << 1);
            order[i] = i;
        }
        Array.Sort(keys, order);   // deterministic for equal keys too; each block is then sorted by spot index
        int blocks = (n + batchSize - 1) / batchSize;
        var result = new int[blocks][];
        for (int b = 0; b < blocks; b++)
        {
            int start = (int)((long)n * b / blocks), end = (int)((long)n * (b + 1) / blocks);
            var block = order[start..end];
            Array.Sort(block);
            result[b] = block;
        }
        return result;
    }

    private static ulong Interleave(uint v)
    {
        ulong x = v;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x << 2)) & 0x3333333333333333UL;
        x = (x | (x << 1)) & 0x5555555555555555UL;
        return x;
    }
}
