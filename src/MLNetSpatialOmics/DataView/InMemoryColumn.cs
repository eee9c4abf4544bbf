using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetSpatialOmics.DataView;

/// <summary>
/// A column held in memory, one value per row, addressed by row index. Used to build section views and to append
/// the outputs of whole-section transforms (graphs, PCA, trainers) to their input view.
/// </summary>
public abstract class InMemoryColumn
{
    public string Name { get; }
    public DataViewType Type { get; }
    public int RowCount { get; }
    /// <summary>Slot names (vector columns) or key values, attached as annotations; null when absent.</summary>
    public string[]? SlotNames { get; }

    protected InMemoryColumn(string name, DataViewType type, int rowCount, string[]? slotNames)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("column name must not be empty.", nameof(name));
        Name = name;
        Type = type;
        RowCount = rowCount;
        SlotNames = slotNames;
    }

    internal abstract Delegate MakeGetter(Func<long> position);

    internal void AddAnnotations(DataViewSchema.Annotations.Builder builder)
    {
        if (SlotNames is null) return;
        var names = SlotNames.Select(s => s.AsMemory()).ToArray();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> dst) =>
            dst = new VBuffer<ReadOnlyMemory<char>>(names.Length, names);
        if (Type is VectorDataViewType)
            builder.Add(AnnotationUtils.SlotNames, new VectorDataViewType(TextDataViewType.Instance, names.Length), getter);
        else if (Type is KeyDataViewType)
            builder.Add(AnnotationUtils.KeyValues, new VectorDataViewType(TextDataViewType.Instance, names.Length), getter);
    }

    public static InMemoryColumn Text(string name, string[] values) =>
        new ScalarColumn<ReadOnlyMemory<char>>(name, TextDataViewType.Instance, values.Select(v => (v ?? "").AsMemory()).ToArray());

    public static InMemoryColumn Single(string name, float[] values) =>
        new ScalarColumn<float>(name, NumberDataViewType.Single, values);

    public static InMemoryColumn Int32(string name, int[] values) =>
        new ScalarColumn<int>(name, NumberDataViewType.Int32, values);

    /// <summary>A key column (ML.NET's <c>PredictedLabel</c> convention: 1-based, 0 = missing) with <paramref name="count"/> keys.</summary>
    public static InMemoryColumn Key(string name, uint[] values, int count, string[]? keyNames = null) =>
        new ScalarColumn<uint>(name, new KeyDataViewType(typeof(uint), count), values, keyNames);

    /// <summary>A fixed-size float vector column from a row-major buffer of RowCount·width values.</summary>
    public static InMemoryColumn Vector(string name, float[] rowMajor, int width, string[]? slotNames = null) =>
        new VectorColumn<float>(name, NumberDataViewType.Single, rowMajor, width, slotNames);

    public static InMemoryColumn Vector(string name, int[] rowMajor, int width) =>
        new VectorColumn<int>(name, NumberDataViewType.Int32, rowMajor, width, null);

    /// <summary>Float vector column from a dense double matrix (values are rounded to float, as ML.NET vectors are R4).</summary>
    public static InMemoryColumn Vector(string name, Numerics.DenseMatrix matrix, string[]? slotNames = null)
    {
        var buf = new float[matrix.Data.Length];
        for (int i = 0; i < buf.Length; i++) buf[i] = (float)matrix.Data[i];
        return Vector(name, buf, matrix.Cols, slotNames);
    }

    /// <summary>
    /// A float vector column backed by a CSR matrix, one row per data-view row: each row comes out as a sparse
    /// <see cref="VBuffer{T}"/> (only the stored entries), so an N × 18k count matrix is never densified.
    /// </summary>
    public static InMemoryColumn SparseVector(string name, Numerics.CsrMatrix matrix, string[]? slotNames = null) =>
        new SparseVectorColumn(name, matrix, slotNames);

    private sealed class SparseVectorColumn : InMemoryColumn
    {
        private readonly Numerics.CsrMatrix _m;

        public SparseVectorColumn(string name, Numerics.CsrMatrix m, string[]? slotNames)
            : base(name, new VectorDataViewType(NumberDataViewType.Single, m.Cols), m.Rows, slotNames)
        {
            if (m.Cols <= 0) throw new ArgumentException($"sparse vector column '{name}' needs at least one column.");
            if (slotNames is not null && slotNames.Length != m.Cols)
                throw new ArgumentException($"sparse vector column '{name}': {slotNames.Length} slot names for width {m.Cols}.");
            _m = m;
        }

        internal override Delegate MakeGetter(Func<long> position)
        {
            ValueGetter<VBuffer<float>> g = (ref VBuffer<float> dst) =>
            {
                int row = (int)position();
                var idx = _m.RowIndices(row);
                var val = _m.RowValues(row);
                // A full row is a dense buffer for VBuffer (no indices); sorted unique indices make that 0..Cols-1.
                var editor = VBufferEditor.Create(ref dst, _m.Cols, idx.Length);
                if (idx.Length < _m.Cols) idx.CopyTo(editor.Indices);
                for (int i = 0; i < val.Length; i++) editor.Values[i] = (float)val[i];
                dst = editor.Commit();
            };
            return g;
        }
    }

    private sealed class ScalarColumn<T> : InMemoryColumn
    {
        private readonly T[] _values;
        public ScalarColumn(string name, DataViewType type, T[] values, string[]? keyNames = null)
            : base(name, type, values.Length, keyNames) => _values = values;

        internal override Delegate MakeGetter(Func<long> position)
        {
            ValueGetter<T> g = (ref T dst) => dst = _values[position()];
            return g;
        }
    }

    private sealed class VectorColumn<T> : InMemoryColumn
    {
        private readonly T[] _values;
        private readonly int _width;
        public VectorColumn(string name, PrimitiveDataViewType itemType, T[] values, int width, string[]? slotNames)
            : base(name, new VectorDataViewType(itemType, width), width == 0 ? 0 : values.Length / width, slotNames)
        {
            if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, $"vector column '{name}' needs a positive width.");
            if (values.Length % width != 0)
                throw new ArgumentException($"vector column '{name}': {values.Length} values are not a whole number of rows of width {width}.");
            if (slotNames is not null && slotNames.Length != width)
                throw new ArgumentException($"vector column '{name}': {slotNames.Length} slot names for width {width}.");
            _values = values;
            _width = width;
        }

        internal override Delegate MakeGetter(Func<long> position)
        {
            ValueGetter<VBuffer<T>> g = (ref VBuffer<T> dst) =>
            {
                var editor = VBufferEditor.Create(ref dst, _width);
                _values.AsSpan((int)(position() * _width), _width).CopyTo(editor.Values);
                dst = editor.Commit();
            };
            return g;
        }
    }
}
