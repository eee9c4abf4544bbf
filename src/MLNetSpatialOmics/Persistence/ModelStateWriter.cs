using System.Text;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Persistence;

/// <summary>
/// Named, typed values that make up a transformer's saved state. Keys are unique per writer; nested writers
/// (<see cref="Child"/>) hold the state of sub-components (e.g. a trainer's clustering head).
/// </summary>
public sealed class ModelStateWriter
{
    internal enum Kind : byte
    {
        Int32 = 1, Int64, Double, Bool, String, DoubleArray, SingleArray, Int32Array, Int64Array, StringArray,
        Bytes, Child, Dense, Csr, StringNull,
    }

    internal readonly List<(string Key, Kind Kind, object? Value)> Entries = new();
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    private void Add(string key, Kind kind, object? value)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("state key must not be empty.", nameof(key));
        if (!_keys.Add(key)) throw new ArgumentException($"state key '{key}' was written twice.", nameof(key));
        Entries.Add((key, kind, value));
    }

    public void Write(string key, int value) => Add(key, Kind.Int32, value);
    public void Write(string key, long value) => Add(key, Kind.Int64, value);
    public void Write(string key, double value) => Add(key, Kind.Double, value);
    public void Write(string key, bool value) => Add(key, Kind.Bool, value);
    public void Write(string key, string? value) => Add(key, value is null ? Kind.StringNull : Kind.String, value);
    public void Write(string key, double[] value) => Add(key, Kind.DoubleArray, value ?? throw new ArgumentNullException(key));
    public void Write(string key, float[] value) => Add(key, Kind.SingleArray, value ?? throw new ArgumentNullException(key));
    public void Write(string key, int[] value) => Add(key, Kind.Int32Array, value ?? throw new ArgumentNullException(key));
    public void Write(string key, long[] value) => Add(key, Kind.Int64Array, value ?? throw new ArgumentNullException(key));
    public void Write(string key, string[] value) => Add(key, Kind.StringArray, value ?? throw new ArgumentNullException(key));
    public void Write(string key, byte[] value) => Add(key, Kind.Bytes, value ?? throw new ArgumentNullException(key));
    public void Write(string key, DenseMatrix value) => Add(key, Kind.Dense, value ?? throw new ArgumentNullException(key));
    public void Write(string key, CsrMatrix value) => Add(key, Kind.Csr, value ?? throw new ArgumentNullException(key));

    /// <summary>A nested state (for a sub-component); fill it after the call.</summary>
    public ModelStateWriter Child(string key)
    {
        var child = new ModelStateWriter();
        Add(key, Kind.Child, child);
        return child;
    }

    /// <summary>Serialises the whole tree. Large arrays are written inline; the persistence layer may split them.</summary>
    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) WriteTo(w, null, "");
        return ms.ToArray();
    }

    /// <summary>
    /// Writes the tree; arrays larger than <see cref="ExternalThresholdBytes"/> go to <paramref name="external"/>
    /// (own zip entries) when it is given, leaving a reference to the entry name in the main stream.
    /// </summary>
    internal void WriteTo(BinaryWriter w, Action<string, byte[]>? external, string path)
    {
        var saved = _external;
        _external = external;
        _path = path;
        try { WriteEntries(w); }
        finally { _external = saved; }
    }

    internal const int ExternalThresholdBytes = 64 * 1024;
    [ThreadStatic] private static Action<string, byte[]>? _external;
    [ThreadStatic] private static string? _path;
    [ThreadStatic] private static int _externalCounter;

    private void WriteEntries(BinaryWriter w)
    {
        string myPath = _path ?? "";
        w.Write(Entries.Count);
        foreach (var (key, kind, value) in Entries)
        {
            w.Write(key);
            w.Write((byte)kind);
            switch (kind)
            {
                case Kind.Int32: w.Write((int)value!); break;
                case Kind.Int64: w.Write((long)value!); break;
                case Kind.Double: w.Write((double)value!); break;
                case Kind.Bool: w.Write((bool)value!); break;
                case Kind.String: w.Write((string)value!); break;
                case Kind.StringNull: break;
                case Kind.DoubleArray: WriteArray(w, (double[])value!); break;
                case Kind.SingleArray: WriteArray(w, (float[])value!); break;
                case Kind.Int32Array: WriteArray(w, (int[])value!); break;
                case Kind.Int64Array: WriteArray(w, (long[])value!); break;
                case Kind.Bytes: WriteArray(w, (byte[])value!); break;
                case Kind.StringArray:
                    var s = (string[])value!;
                    w.Write(s.Length);
                    foreach (var item in s) w.Write(item ?? "");
                    break;
                case Kind.Dense:
                    var d = (DenseMatrix)value!;
                    w.Write(d.Rows); w.Write(d.Cols); WriteArray(w, d.Data);
                    break;
                case Kind.Csr:
                    var c = (CsrMatrix)value!;
                    w.Write(c.Rows); w.Write(c.Cols);
                    WriteArray(w, c.RowPtr); WriteArray(w, c.ColIndices); WriteArray(w, c.Values);
                    break;
                case Kind.Child:
                    _path = myPath + key + "/";
                    ((ModelStateWriter)value!).WriteEntries(w);
                    _path = myPath;
                    break;
            }
        }
    }

    private static void WriteArray<T>(BinaryWriter w, T[] a) where T : unmanaged
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan());
        if (_external is not null && bytes.Length > ExternalThresholdBytes)
        {
            // Large tensors live in their own zip entries; the main stream keeps a reference.
            string name = $"Tensor{_externalCounter++:D4}.bin";
            _external(name, bytes.ToArray());
            w.Write(-1L);
            w.Write(a.LongLength);
            w.Write(name);
            return;
        }
        w.Write(a.LongLength);
        w.Write(bytes);
    }

    internal static void ResetExternalCounter() => _externalCounter = 0;
}
