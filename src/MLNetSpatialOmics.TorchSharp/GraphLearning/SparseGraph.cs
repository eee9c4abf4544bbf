using MLNetSpatialOmics.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// A graph over N spots held as COO edge lists on a torch device (rows, cols, values). Propagation is SpMM, O(E·d);
/// nothing here ever forms an N×N tensor. On the CPU both fixed and learnable-weight propagation run through
/// <see cref="CsrPropagation"/> (row-parallel kernels whose backward keeps only the inputs); on other devices fixed
/// weights use torch's sparse matmul and learnable ones gather/scatter, so the backward pass stays O(E·d) there too.
/// </summary>
public sealed class SparseGraph : IDisposable
{
    public int NodeCount { get; }
    public long EdgeCount { get; }
    /// <summary>Source row of each edge (int64, length E), sorted by row then column.</summary>
    public Tensor Rows { get; }
    /// <summary>Target column of each edge (int64, length E).</summary>
    public Tensor Cols { get; }
    /// <summary>Edge weights (float32, length E), no gradient.</summary>
    public Tensor Values { get; }
    private Tensor? _sparse;   // torch COO copy, built only where the CPU kernels do not apply
    private readonly CsrStructure _structure;
    private readonly bool _onCpu;

    /// <summary>Host copy of the sparsity pattern (CSR, the edge order of <see cref="Rows"/>/<see cref="Cols"/>).</summary>
    internal CsrStructure Structure => _structure;

    private SparseGraph(int nodeCount, Tensor rows, Tensor cols, Tensor values, CsrStructure structure)
    {
        _structure = structure;
        _onCpu = values.device_type == DeviceType.CPU;
        NodeCount = nodeCount;
        Rows = rows;
        Cols = cols;
        Values = values;
        EdgeCount = rows.shape[0];
    }

    /// <summary>Moves a square CSR matrix (e.g. a normalised adjacency) onto <paramref name="device"/>.</summary>
    public static SparseGraph FromCsr(CsrMatrix matrix, Device device)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows != matrix.Cols)
            throw new ArgumentException($"a graph must be square; got {matrix.Rows}×{matrix.Cols}.", nameof(matrix));
        long nnz = matrix.NonZeroCount;
        var rows = new long[nnz];
        var cols = new long[nnz];
        var vals = new float[nnz];
        for (int i = 0; i < matrix.Rows; i++)
            for (long p = matrix.RowPtr[i]; p < matrix.RowPtr[i + 1]; p++)
            {
                rows[p] = i;
                cols[p] = matrix.ColIndices[p];
                vals[p] = (float)matrix.Values[p];
            }
        var structure = new CsrStructure(matrix.Rows, (long[])matrix.RowPtr.Clone(), (int[])matrix.ColIndices.Clone());
        return new SparseGraph(matrix.Rows,
            tensor(rows, device: device), tensor(cols, device: device), tensor(vals, device: device), structure);
    }

    /// <summary>Â·x with the stored weights.</summary>
    public Tensor Propagate(Tensor x) => UsesCpuKernels(x) ? CsrPropagation.Apply(_structure, Values, x) : mm(SparseTensor(), x);

    /// <summary>Â·x with per-edge weights <paramref name="edgeValues"/> (length E, may require grad).</summary>
    public Tensor Propagate(Tensor x, Tensor edgeValues)
    {
        if (UsesCpuKernels(x) && edgeValues.dtype == ScalarType.Float32) return CsrPropagation.Apply(_structure, edgeValues, x);
        using var scope = NewDisposeScope();
        var messages = x.index_select(0, Cols).mul_(edgeValues.unsqueeze(1));
        var result = zeros(NodeCount, x.shape[1], dtype: x.dtype, device: x.device).index_add(0, Rows, messages, 1.0);
        return result.MoveToOuterDisposeScope();
    }

    private Tensor SparseTensor()
    {
        if (_sparse is null)
        {
            using var indices = stack(new[] { Rows, Cols });
            _sparse = sparse_coo_tensor(indices, Values, new long[] { NodeCount, NodeCount }).DetachFromDisposeScope();
        }
        return _sparse;
    }

    private bool UsesCpuKernels(Tensor x) => _onCpu && x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32 && x.dim() == 2;

    /// <summary>For each edge (i, j), the position of edge (j, i). Throws when the support is not symmetric.</summary>
    public Tensor ReverseEdgeIndex()
    {
        // On the host CSR: each row's columns are sorted, so (j, i) is a binary search in row j — O(E log degree),
        // row-parallel; a torch searchsorted over E composite keys took minutes at 30M edges on one thread.
        var s = _structure;
        var reverse = new long[s.EdgeCount];
        int missing = -1;
        Parallel.For(0, s.RowCount, Parallelism.Options, i =>
        {
            for (long p = s.RowPtr[i]; p < s.RowPtr[i + 1]; p++)
            {
                int j = s.Cols[p];
                long lo = s.RowPtr[j], hi = s.RowPtr[j + 1] - 1;
                while (lo <= hi)
                {
                    long mid = lo + (hi - lo) / 2;
                    int c = s.Cols[mid];
                    if (c == i) { lo = mid; break; }
                    if (c < i) lo = mid + 1; else hi = mid - 1;
                }
                if (lo < s.RowPtr[j + 1] && s.Cols[lo] == i) reverse[p] = lo;
                else Interlocked.CompareExchange(ref missing, i, -1);
            }
        });
        if (missing >= 0)
            throw new InvalidOperationException($"the graph's support is not symmetric: row {missing} has an edge (i, j) with no edge (j, i).");
        return tensor(reverse, device: Values.device);
    }

    /// <summary>1 on self-loop edges, 0 elsewhere (float32, length E).</summary>
    public Tensor DiagonalMask() => Rows.eq(Cols).to_type(ScalarType.Float32);

    public void Dispose()
    {
        _sparse?.Dispose();
        Rows.Dispose();
        Cols.Dispose();
        Values.Dispose();
    }
}
