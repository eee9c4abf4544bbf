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
internal sealed class MiniBatchPlanner : IDisposable
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
    private readonly BlockLayout?[] _layouts;

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
        _layouts = new BlockLayout?[Blocks.Count];
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

    /// <summary>
    /// The batch of <paramref name="block"/> in <paramref name="epoch"/>. Without sampling (both fan-outs 0) a block's
    /// structure is the same every epoch, so it is built once and kept: a million-spot epoch otherwise spends about a
    /// second rebuilding the same context, decoder rows and feature rows on the host. The kept layouts hold the blocks'
    /// edge lists, ≈ 12 bytes per feature edge (the feature graphs' size again), until the planner is disposed.
    /// </summary>
    public GraphBatch Build(int block, int epoch)
    {
        var layout = Samples ? Layout(block, epoch) : _layouts[block] ??= Layout(block, epoch);
        var owned = new List<IDisposable>();
        if (Samples) owned.Add(layout);
        try
        {
            var spatialInputs = _spatialInputs.Select(s => s.index_select(0, layout.ContextIndex).DetachFromDisposeScope()).ToArray();
            owned.AddRange(spatialInputs);
            var targetInputs = _inputs.Select(x => x.index_select(0, layout.TargetIndex).DetachFromDisposeScope()).ToArray();
            owned.AddRange(targetInputs);
            var inputs = _inputs;
            return new GraphBatch(
                (m, values) => layout.FeatureOps[m].Propagate(inputs[m], layout.FeatureScales[m] is { } s ? values * s : values),
                z => layout.Decoder.Propagate(z, layout.DecoderValues),
                owned)
            {
                ContextCount = layout.ContextNodes.Length,
                TargetPositions = layout.TargetPositions,
                ContextNodes = layout.ContextNodes,
                TargetNodes = Blocks[block],
                SpatialInputs = spatialInputs,
                Targets = targetInputs,
                FeatureEdgeIds = layout.FeatureEdgeIds,
            };
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
    }

    /// <summary>True when a fan-out samples edges, so a block's structure changes from epoch to epoch.</summary>
    private bool Samples => _fanout > 0 || _spatialFanout > 0;

    private BlockLayout Layout(int block, int epoch)
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

        var layout = new BlockLayout(contextNodes, _inputs.Count);
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
            layout.Decoder = new SparseOperator(new CsrStructure(targets.Length, contextNodes.Length, decPtr, decCols), _device);
            layout.DecoderValues = tensor(decVals, device: _device).DetachFromDisposeScope();
            layout.TargetPositions = tensor(targets.Select(t => (long)_localIndex[t]).ToArray(), device: _device).DetachFromDisposeScope();
            layout.ContextIndex = tensor(contextNodes.Select(c => (long)c).ToArray(), device: _device).DetachFromDisposeScope();
            layout.TargetIndex = tensor(targets.Select(t => (long)t).ToArray(), device: _device).DetachFromDisposeScope();
            for (int m = 0; m < _inputs.Count; m++)
                (layout.FeatureOps[m], layout.FeatureEdgeIds[m], layout.FeatureScales[m]) = FeatureRows(_graphs.Features[m].Structure, contextNodes, rng);
            return layout;
        }
        catch
        {
            layout.Dispose();
            throw;
        }
        finally
        {
            foreach (var c in contextNodes) _localIndex[c] = -1;
        }
    }

    /// <summary>Everything of a block's batch but its input rows: context, decoder rows, feature rows and edge ids.</summary>
    private sealed class BlockLayout : IDisposable
    {
        public int[] ContextNodes { get; }
        public SparseOperator Decoder { get; set; } = null!;
        public Tensor DecoderValues { get; set; } = null!;
        public Tensor TargetPositions { get; set; } = null!;
        public Tensor ContextIndex { get; set; } = null!;
        public Tensor TargetIndex { get; set; } = null!;
        public SparseOperator[] FeatureOps { get; }
        public Tensor?[] FeatureEdgeIds { get; }
        public Tensor?[] FeatureScales { get; }

        public BlockLayout(int[] contextNodes, int modalities)
        {
            ContextNodes = contextNodes;
            FeatureOps = new SparseOperator[modalities];
            FeatureEdgeIds = new Tensor?[modalities];
            FeatureScales = new Tensor?[modalities];
        }

        public void Dispose()
        {
            Decoder?.Dispose();
            DecoderValues?.Dispose();
            TargetPositions?.Dispose();
            ContextIndex?.Dispose();
            TargetIndex?.Dispose();
            foreach (var op in FeatureOps) op?.Dispose();
            foreach (var t in FeatureEdgeIds) t?.Dispose();
            foreach (var t in FeatureScales) t?.Dispose();
        }
    }

    /// <summary>Releases the kept block layouts.</summary>
    public void Dispose()
    {
        foreach (var layout in _layouts) layout?.Dispose();
        Array.Clear(_layouts);
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
        var idTensor = tensor(ids.ToArray(), device: _device).DetachFromDisposeScope();
        var scaleTensor = _fanout == 0 ? null : tensor(scale.ToArray(), device: _device).DetachFromDisposeScope();
        return (op, idTensor, scaleTensor);
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
