using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// A rectangular sparse operator (a block of a graph's rows, columns in any index space) whose edge values are given at
/// each call, so they may carry gradients. CPU float32 runs the row-parallel kernels; other devices gather/scatter.
/// </summary>
internal sealed class SparseOperator : IDisposable
{
    private readonly Tensor _rows;
    private readonly Tensor _cols;

    public CsrStructure Structure { get; }
    public int RowCount => Structure.RowCount;
    public int ColumnCount => Structure.ColumnCount;
    public long EdgeCount => Structure.EdgeCount;

    public SparseOperator(CsrStructure structure, Device device)
    {
        Structure = structure;
        var rows = new long[structure.EdgeCount];
        for (int i = 0; i < structure.RowCount; i++)
            for (long p = structure.RowPtr[i]; p < structure.RowPtr[i + 1]; p++) rows[p] = i;
        _rows = tensor(rows, device: device);
        _cols = tensor(structure.Cols.Select(c => (long)c).ToArray(), device: device);
    }

    /// <summary>Y = A(values)·x, Y has <see cref="RowCount"/> rows; x has <see cref="ColumnCount"/>.</summary>
    public Tensor Propagate(Tensor x, Tensor values)
    {
        if (x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32 && values.dtype == ScalarType.Float32)
            return CsrPropagation.Apply(Structure, values, x);
        using var scope = NewDisposeScope();
        var messages = x.index_select(0, _cols) * values.unsqueeze(1);
        var result = zeros(RowCount, x.shape[1], dtype: x.dtype, device: x.device).index_add(0, _rows, messages, 1.0);
        return result.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _rows.Dispose();
        _cols.Dispose();
    }
}
