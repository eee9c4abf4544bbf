using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetSpatialOmics.DataView;

/// <summary>
/// An <see cref="IDataView"/> whose rows are the rows of an optional source view plus columns held in memory and
/// addressed by row position. A column of the same name as a source column hides it (ML.NET's convention).
/// Whole-section transforms compute their outputs as arrays and return <c>new InMemoryDataView(input, outputs)</c>.
/// </summary>
public sealed class InMemoryDataView : IDataView
{
    private readonly IDataView? _source;
    private readonly InMemoryColumn[] _columns;
    private readonly int[] _sourceColumnOf;   // schema column -> source column index, or -1
    private readonly int[] _memoryColumnOf;   // schema column -> _columns index, or -1
    private readonly long _rowCount;

    public DataViewSchema Schema { get; }
    public bool CanShuffle => false;

    public InMemoryDataView(IEnumerable<InMemoryColumn> columns) : this(null, columns) { }

    public InMemoryDataView(IDataView? source, IEnumerable<InMemoryColumn> columns)
    {
        _source = source;
        _columns = columns.ToArray();
        long rows = _columns.Length > 0 ? _columns[0].RowCount : -1;
        foreach (var c in _columns)
            if (c.RowCount != rows)
                throw new ArgumentException($"column '{c.Name}' has {c.RowCount} rows, column '{_columns[0].Name}' has {rows}.");
        if (source is not null)
        {
            long srcRows = DataViewReader.CountRows(source);
            if (rows >= 0 && srcRows != rows)
                throw new ArgumentException($"the new columns have {rows} rows but the input view has {srcRows}.");
            rows = srcRows;
        }
        _rowCount = Math.Max(rows, 0);

        var names = new HashSet<string>(_columns.Select(c => c.Name), StringComparer.Ordinal);
        if (names.Count != _columns.Length) throw new ArgumentException("two new columns share a name.");
        var builder = new DataViewSchema.Builder();
        var srcMap = new List<int>();
        var memMap = new List<int>();
        if (source is not null)
        {
            foreach (var col in source.Schema)
            {
                if (col.IsHidden) continue;
                if (names.Contains(col.Name)) continue;
                builder.AddColumn(col.Name, col.Type, col.Annotations);
                srcMap.Add(col.Index);
                memMap.Add(-1);
            }
        }
        for (int i = 0; i < _columns.Length; i++)
        {
            var ab = new DataViewSchema.Annotations.Builder();
            _columns[i].AddAnnotations(ab);
            builder.AddColumn(_columns[i].Name, _columns[i].Type, ab.ToAnnotations());
            srcMap.Add(-1);
            memMap.Add(i);
        }
        Schema = builder.ToSchema();
        _sourceColumnOf = srcMap.ToArray();
        _memoryColumnOf = memMap.ToArray();
    }

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly InMemoryDataView _parent;
        private readonly DataViewRowCursor? _src;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(InMemoryDataView parent, IEnumerable<DataViewSchema.Column> needed)
        {
            _parent = parent;
            _active = new bool[parent.Schema.Count];
            foreach (var c in needed) _active[c.Index] = true;
            if (parent._source is not null)
            {
                var srcNeeded = new List<DataViewSchema.Column>();
                for (int i = 0; i < _active.Length; i++)
                    if (_active[i] && parent._sourceColumnOf[i] >= 0)
                        srcNeeded.Add(parent._source.Schema[parent._sourceColumnOf[i]]);
                _src = parent._source.GetRowCursor(srcNeeded);
            }
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was created.");
            int src = _parent._sourceColumnOf[column.Index];
            if (src >= 0) return _src!.GetGetter<TValue>(_src.Schema[src]);
            var getter = _parent._columns[_parent._memoryColumnOf[column.Index]].MakeGetter(() => _position);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not readable as {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext()
        {
            if (_src is not null)
            {
                if (!_src.MoveNext()) return false;
                _position++;
                return true;
            }
            if (_position + 1 >= _parent._rowCount) return false;
            _position++;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _src?.Dispose();
            base.Dispose(disposing);
        }
    }
}
