using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// A rectangular sparse operator (a block of a graph's rows, columns in any index space) whose edge values are given at
/// each call, so they may carry gradients. CPU float32 runs the row-parallel kernels; other devices gather/scatter.
/// </summary>
internal sealed class SparseOperator : IDisposable
{
    private readonly Device _device;
    private Tensor? _rows, _cols;   // COO indices, built only where the CPU kernels do not apply

    public CsrStructure Structure { get; }
    public int RowCount => Structure.RowCount;
    public int ColumnCount => Structure.ColumnCount;
    public long EdgeCount => Structure.EdgeCount;

    public SparseOperator(CsrStructure structure, Device device)
    {
        Structure = structure;
        _device = device;
    }

    /// <summary>Y = A(values)·x, Y has <see cref="RowCount"/> rows; x has <see cref="ColumnCount"/>.</summary>
    public Tensor Propagate(Tensor x, Tensor values)
    {
        if (x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32 && values.dtype == ScalarType.Float32)
            return CsrPropagation.Apply(Structure, values, x);
        if (_rows is null)
        {
            var rows = new long[Structure.EdgeCount];
            for (int i = 0; i < Structure.RowCount; i++)
                for (long p = Structure.RowPtr[i]; p < Structure.RowPtr[i + 1]; p++) rows[p] = i;
            _rows = tensor(rows, device: _device).DetachFromDisposeScope();
            _cols = tensor(Structure.Cols.Select(c => (long)c).ToArray(), device: _device).DetachFromDisposeScope();
        }
        using var scope = NewDisposeScope();
        var messages = x.index_select(0, _cols!) * values.unsqueeze(1);
        var result = zeros(RowCount, x.shape[1], dtype: x.dtype, device: x.device).index_add(0, _rows, messages, 1.0);
        return result.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _rows?.Dispose();
        _cols?.Dispose();
    }
}
