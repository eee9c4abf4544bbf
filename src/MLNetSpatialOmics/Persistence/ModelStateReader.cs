using System.Text;
using MLNetSpatialOmics.Numerics;
using Kind = MLNetSpatialOmics.Persistence.ModelStateWriter.Kind;

namespace MLNetSpatialOmics.Persistence;

/// <summary>Reads what a <see cref="ModelStateWriter"/> wrote; a missing key or wrong type is a clear error.</summary>
public sealed class ModelStateReader
{
    private readonly Dictionary<string, (Kind Kind, object? Value)> _entries;
    private readonly string _path;

    private ModelStateReader(Dictionary<string, (Kind, object?)> entries, string path)
    {
        _entries = entries;
        _path = path;
    }

    [ThreadStatic] private static Func<string, byte[]>? _external;

    public static ModelStateReader FromBytes(byte[] bytes, string what = "model state") => FromBytes(bytes, what, null);

    /// <summary>Reads a state whose large arrays may live in other entries, fetched by <paramref name="external"/>.</summary>
    internal static ModelStateReader FromBytes(byte[] bytes, string what, Func<string, byte[]>? external)
    {
        var saved = _external;
        _external = external;
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            using var r = new BinaryReader(ms, Encoding.UTF8);
            var reader = Read(r, what);
            if (ms.Position != ms.Length) throw new InvalidDataException($"{ms.Length - ms.Position} trailing bytes.");
            return reader;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{what} is corrupted or truncated: {e.Message}", e);
        }
        finally { _external = saved; }
    }

    private static ModelStateReader Read(BinaryReader r, string path)
    {
        int count = r.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"{path}: absurd entry count {count}.");
        var entries = new Dictionary<string, (Kind, object?)>(StringComparer.Ordinal);
        long remaining = r.BaseStream.Length;
        for (int i = 0; i < count; i++)
        {
            string key = r.ReadString();
            var kind = (Kind)r.ReadByte();
            object? value = kind switch
            {
                Kind.Int32 => r.ReadInt32(),
                Kind.Int64 => r.ReadInt64(),
                Kind.Double => r.ReadDouble(),
                Kind.Bool => r.ReadBoolean(),
                Kind.String => r.ReadString(),
                Kind.StringNull => null,
                Kind.DoubleArray => ReadArray<double>(r),
                Kind.SingleArray => ReadArray<float>(r),
                Kind.Int32Array => ReadArray<int>(r),
                Kind.Int64Array => ReadArray<long>(r),
                Kind.Bytes => ReadArray<byte>(r),
                Kind.StringArray => ReadStrings(r),
                Kind.Dense => ReadDense(r),
                Kind.Csr => new CsrMatrix(r.ReadInt32(), r.ReadInt32(), ReadArray<long>(r), ReadArray<int>(r), ReadArray<double>(r)),
                Kind.Child => Read(r, path + "/" + key),
                _ => throw new InvalidDataException($"{path}: entry '{key}' has unknown type tag {(byte)kind}."),
            };
            if (!entries.TryAdd(key, (kind, value))) throw new InvalidDataException($"{path}: key '{key}' appears twice.");
        }
        return new ModelStateReader(entries, path);
    }

    private static DenseMatrix ReadDense(BinaryReader r)
    {
        int rows = r.ReadInt32(), cols = r.ReadInt32();
        return new DenseMatrix(rows, cols, ReadArray<double>(r));
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException($"absurd string count {n}.");
        var a = new string[n];
        for (int i = 0; i < n; i++) a[i] = r.ReadString();
        return a;
    }

    private static T[] ReadArray<T>(BinaryReader r) where T : unmanaged
    {
        long n = r.ReadInt64();
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (n == -1)
        {
            long count = r.ReadInt64();
            string entry = r.ReadString();
            if (_external is null) throw new InvalidDataException($"array stored in entry '{entry}' but no entries are available.");
            var bytes = _external(entry);
            if (count < 0 || count > Array.MaxLength || bytes.LongLength != count * size)
                throw new InvalidDataException($"entry '{entry}' has {bytes.LongLength} bytes, expected {count} items of {size} bytes.");
            var ext = new T[count];
            bytes.AsSpan().CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ext.AsSpan()));
            return ext;
        }
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || n > Array.MaxLength || n * size > left)
            throw new InvalidDataException($"array of {n} items does not fit in the {left} bytes left.");
        var a = new T[n];
        int read = r.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        if (read != n * size) throw new EndOfStreamException();
        return a;
    }

    public bool Contains(string key) => _entries.ContainsKey(key);

    private T Get<T>(string key, Kind kind)
    {
        if (!_entries.TryGetValue(key, out var e))
            throw new InvalidDataException($"{_path}: saved state has no '{key}' (was it written by another version of MLNetSpatialOmics?).");
        if (e.Kind != kind && !(kind == Kind.String && e.Kind == Kind.StringNull))
            throw new InvalidDataException($"{_path}: '{key}' was saved as {e.Kind}, expected {kind}.");
        return (T)e.Value!;
    }

    public int GetInt32(string key) => Get<int>(key, Kind.Int32);
    public long GetInt64(string key) => Get<long>(key, Kind.Int64);
    public double GetDouble(string key) => Get<double>(key, Kind.Double);
    public bool GetBool(string key) => Get<bool>(key, Kind.Bool);
    public string? GetString(string key) => Get<string?>(key, Kind.String);
    public double[] GetDoubleArray(string key) => Get<double[]>(key, Kind.DoubleArray);
    public float[] GetSingleArray(string key) => Get<float[]>(key, Kind.SingleArray);
    public int[] GetInt32Array(string key) => Get<int[]>(key, Kind.Int32Array);
    public long[] GetInt64Array(string key) => Get<long[]>(key, Kind.Int64Array);
    public string[] GetStringArray(string key) => Get<string[]>(key, Kind.StringArray);
    public byte[] GetBytes(string key) => Get<byte[]>(key, Kind.Bytes);
    public DenseMatrix GetDense(string key) => Get<DenseMatrix>(key, Kind.Dense);
    public CsrMatrix GetCsr(string key) => Get<CsrMatrix>(key, Kind.Csr);
    public ModelStateReader GetChild(string key) => Get<ModelStateReader>(key, Kind.Child);
}
