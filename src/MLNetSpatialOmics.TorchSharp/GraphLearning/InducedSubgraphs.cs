using MLNetSpatialOmics.Numerics;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// Builds the subgraph a block of spots induces in a section's graphs (<see cref="InducedSubgraph"/>), one block at a
/// time so that only the block being trained holds a copy. Cost O(block's edges) on the host, after one O(E) copy of
/// the edge values at construction.
/// <para>
/// Renormalisation: the section's graphs are stored normalised, Â = D^-½(A + I)D^-½ (PRAGA's recipe, unit self-loops).
/// The block's un-normalised edges are recovered as a_ij = Â_ij / √(Â_ii·Â_jj) (because Â_ii = 1/d_i), restricted to
/// the block and normalised with the block's own degrees: Â_b = D_b^-½·A_b·D_b^-½. A block holding every spot therefore
/// reproduces Â, and a smaller one is exactly the graph Cluster-GCN would normalise from the block's adjacency.
/// </para>
/// </summary>
internal sealed class InducedSubgraphs
{
    private readonly SparseGraph _spatial;
    private readonly IReadOnlyList<SparseGraph> _features;
    private readonly float[] _spatialValues;
    private readonly float[][] _featureValues;
    private readonly int[] _localIndex;
    private readonly Device _device;

    public int SpotCount => _localIndex.Length;

    public InducedSubgraphs(SectionGraphs graphs, Device device) : this(graphs.Spatial, graphs.Features, device) { }

    /// <param name="spatial">normalised spatial graph (unit self-loops before normalisation).</param>
    /// <param name="features">normalised feature graphs over the same spots, one per modality.</param>
    public InducedSubgraphs(SparseGraph spatial, IReadOnlyList<SparseGraph> features, Device device)
    {
        if (features.Any(f => f.NodeCount != spatial.NodeCount))
            throw new ArgumentException($"every feature graph must span the spatial graph's {spatial.NodeCount} spots.", nameof(features));
        _spatial = spatial;
        _features = features;
        _device = device;
        _spatialValues = HostValues(spatial);
        _featureValues = features.Select(HostValues).ToArray();
        _localIndex = Enumerable.Repeat(-1, spatial.NodeCount).ToArray();
    }

    /// <param name="nodes">distinct global spot indices, ascending (e.g. a block of <see cref="MiniBatchPlanner.ZOrderBlocks"/>).</param>
    public InducedSubgraph Build(int[] nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Length == 0) throw new ArgumentException("a block needs at least one spot.", nameof(nodes));
        for (int i = 0; i < nodes.Length; i++)
        {
            if ((uint)nodes[i] >= (uint)SpotCount)
                throw new ArgumentOutOfRangeException(nameof(nodes), nodes[i], $"spot index outside the section's {SpotCount} spots.");
            if (i > 0 && nodes[i] <= nodes[i - 1])
                throw new ArgumentException("block spots must be distinct and ascending.", nameof(nodes));
        }
        var owned = new List<IDisposable>();
        try
        {
            for (int i = 0; i < nodes.Length; i++) _localIndex[nodes[i]] = i;
            var (spatial, _) = Restrict(_spatial.Structure, _spatialValues, nodes, "spatial");
            owned.Add(spatial);
            var features = new SparseGraph[_featureValues.Length];
            var ids = new Tensor[_featureValues.Length];
            for (int m = 0; m < features.Length; m++)
            {
                var (graph, edgeIds) = Restrict(_features[m].Structure, _featureValues[m], nodes, $"feature graph {m}");
                features[m] = graph;
                owned.Add(graph);
                ids[m] = tensor(edgeIds, device: _device);
                owned.Add(ids[m]);
            }
            var nodeIndex = tensor(nodes.Select(i => (long)i).ToArray(), device: _device);
            return new InducedSubgraph
            {
                Nodes = nodes, NodeIndex = nodeIndex, Spatial = spatial, Features = features, FeatureEdgeIds = ids,
            };
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
        finally
        {
            foreach (var i in nodes) _localIndex[i] = -1;
        }
    }

    /// <summary>The block's edges (global CSR order, which is the local (row, col) order too), renormalised.</summary>
    private (SparseGraph Graph, long[] EdgeIds) Restrict(CsrStructure graph, float[] values, int[] nodes, string name)
    {
        var selfLoop = new double[nodes.Length];
        for (int r = 0; r < nodes.Length; r++)
        {
            int i = nodes[r];
            int at = Array.BinarySearch(graph.Cols, (int)graph.RowPtr[i], (int)(graph.RowPtr[i + 1] - graph.RowPtr[i]), i);
            if (at < 0 || !(values[at] > 0))
                throw new InvalidOperationException($"the {name} has no positive self-loop at spot {i}; block subgraphs need PRAGA's normalised graphs D^-½(A + I)D^-½.");
            selfLoop[r] = values[at];
        }
        var rowPtr = new long[nodes.Length + 1];
        var cols = new List<int>();
        var raw = new List<double>();
        var ids = new List<long>();
        var degree = new double[nodes.Length];
        for (int r = 0; r < nodes.Length; r++)
        {
            int i = nodes[r];
            for (long p = graph.RowPtr[i]; p < graph.RowPtr[i + 1]; p++)
            {
                int c = _localIndex[graph.Cols[p]];
                if (c < 0) continue;
                double a = values[p] / Math.Sqrt(selfLoop[r] * selfLoop[c]);
                cols.Add(c);
                raw.Add(a);
                ids.Add(p);
                degree[r] += a;
            }
            rowPtr[r + 1] = cols.Count;
        }
        var normalized = new double[raw.Count];
        for (int r = 0; r < nodes.Length; r++)
            for (long p = rowPtr[r]; p < rowPtr[r + 1]; p++)
                normalized[p] = raw[(int)p] / Math.Sqrt(degree[r] * degree[cols[(int)p]]);
        var matrix = new CsrMatrix(nodes.Length, nodes.Length, rowPtr, cols.ToArray(), normalized, validate: false);
        return (SparseGraph.FromCsr(matrix, _device), ids.ToArray());
    }

    private static float[] HostValues(SparseGraph graph)
    {
        using var cpu = graph.Values.to(CPU);
        return cpu.data<float>().ToArray();
    }
}
