using MLNetSpatialOmics.Numerics;
using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Writes an <see cref="AnnData"/> as an anndata-0.8-encoded <c>.h5ad</c> (what Debian's python3-anndata 0.8 and
/// later read): X (optional, dense or CSR), layers, obs/var columns (numeric, string, bool, categorical), obsm
/// arrays and scalar uns entries. Arrays are gzip-compressed by default. The file appears atomically: it is
/// written to a temporary file in the same folder and renamed, so a failure never leaves a half-written file.
/// </summary>
public static class H5adWriter
{
    /// <summary>Boolean stored as HDF5 enum {FALSE, TRUE}: the type h5py/numpy read back as <c>bool</c>.</summary>
    private enum H5Bool : byte { FALSE = 0, TRUE = 1 }

    private const uint ChunkElements = 1 << 18;

    public static void Write(AnnData data, string path, H5adWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new H5adWriteOptions();
        if (options.Compress && options.CompressionLevel is not (1 or 9))
            throw new ArgumentOutOfRangeException(nameof(options), options.CompressionLevel, "CompressionLevel must be 1 or 9 (the levels PureHDF's deflate supports).");
        path = Path.GetFullPath(path);
        Validate(data, path);
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{path}: folder '{dir}' does not exist.");
        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = Build(data, new Encoder(options));
            file.Write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e)
        {
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { }
            if (e is ArgumentException or H5adFormatException) throw;
            throw new IOException($"{path}: writing the h5ad file failed ({e.GetType().Name}: {e.Message}); no file was written.", e);
        }
    }

    private static void Validate(AnnData d, string path)
    {
        void Check(bool ok, string field, string msg) { if (!ok) throw new ArgumentException($"{path}: {field}: {msg}"); }
        foreach (var (k, m) in d.Layers)
            Check(m.Rows == d.ObsCount && m.Cols == d.VarCount, $"layers/{k}", $"is {m.Rows}×{m.Cols}, expected {d.ObsCount}×{d.VarCount}.");
        foreach (var (k, c) in d.Obs) Check(c.Length == d.ObsCount, $"obs/{k}", $"has {c.Length} values for {d.ObsCount} observations.");
        foreach (var (k, c) in d.Var) Check(c.Length == d.VarCount, $"var/{k}", $"has {c.Length} values for {d.VarCount} variables.");
        foreach (var (k, m) in d.Obsm) Check(m.Rows == d.ObsCount, $"obsm/{k}", $"has {m.Rows} rows for {d.ObsCount} observations.");
        foreach (var (k, v) in d.Uns)
            Check(v is string or double or float or long or int or bool, $"uns/{k}", $"holds a {v?.GetType().Name ?? "null"}; only string, number and bool scalars are written.");
        foreach (var name in d.Obs.Keys.Concat(d.Var.Keys))
            Check(name != "_index" && name != "__categories" && !name.Contains('/'), name, "is not a valid column name (reserved or contains '/').");
    }

    private static H5File Build(AnnData d, Encoder enc)
    {
        var file = new H5File();
        Encoding(file, "anndata", "0.1.0");
        if (d.X is not null) file["X"] = enc.Matrix(d.X);
        var layers = Dict();
        foreach (var (k, m) in d.Layers) layers[k] = enc.Matrix(m);
        file["layers"] = layers;
        file["obs"] = enc.DataFrame(d.ObsNames, d.Obs);
        file["var"] = enc.DataFrame(d.VarNames, d.Var);
        var obsm = Dict();
        foreach (var (k, m) in d.Obsm) obsm[k] = enc.Dense(m);
        file["obsm"] = obsm;
        file["obsp"] = Dict();
        file["varm"] = Dict();
        file["varp"] = Dict();
        var uns = Dict();
        foreach (var (k, v) in d.Uns.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // "a/b" keys become nested dicts, as the reader flattens them.
            var parts = k.Split('/');
            var g = uns;
            foreach (var p in parts[..^1])
            {
                if (!g.TryGetValue(p, out var sub) || sub is not H5Group sg) { sg = Dict(); g[p] = sg; }
                g = sg;
            }
            g[parts[^1]] = Scalar(v);
        }
        file["uns"] = uns;
        return file;
    }

    private static H5Group Dict()
    {
        var g = new H5Group();
        Encoding(g, "dict", "0.1.0");
        return g;
    }

    private static void Encoding(H5Object o, string type, string version)
    {
        o.Attributes["encoding-type"] = type;
        o.Attributes["encoding-version"] = version;
    }

    private static H5Dataset Scalar(object v)
    {
        H5Dataset ds = v switch
        {
            string s => new H5Dataset(s),
            bool b => new H5Dataset(b ? H5Bool.TRUE : H5Bool.FALSE),
            int i => new H5Dataset((long)i),
            float f => new H5Dataset((double)f),
            _ => new H5Dataset(v),
        };
        Encoding(ds, v is string ? "string" : "numeric-scalar", "0.2.0");
        return ds;
    }

    private sealed class Encoder
    {
        private readonly H5adWriteOptions _o;
        public Encoder(H5adWriteOptions o) => _o = o;

        private H5DatasetCreation Gzip() => new(Filters: new List<H5Filter>
            { new(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = _o.CompressionLevel }) });

        /// <summary>A numeric array; chunked + gzip when compression is on and the array is not empty.</summary>
        public H5Dataset Array<T>(T[] data, ulong[] dims)
        {
            H5Dataset ds;
            if (_o.Compress && data.Length > 0)
            {
                // Chunks of whole rows (for 2-D) of about ChunkElements values.
                uint[] chunks = dims.Length == 1
                    ? new[] { (uint)Math.Min(dims[0], ChunkElements) }
                    : new[] { (uint)Math.Clamp(ChunkElements / Math.Max(1UL, dims[1]), 1UL, dims[0]), (uint)dims[1] };
                ds = new H5Dataset(data, fileDims: dims, chunks: chunks, datasetCreation: Gzip());
            }
            else ds = new H5Dataset(data, fileDims: dims);
            Encoding(ds, "array", "0.2.0");
            return ds;
        }

        private H5Dataset Values(double[] values, ulong[] dims) =>
            _o.SinglePrecision ? Array(values.Select(v => (float)v).ToArray(), dims) : Array(values, dims);

        public H5Dataset Dense(DenseMatrix m) => Values(m.Data, new[] { (ulong)m.Rows, (ulong)m.Cols });

        public H5Object Matrix(AnnMatrix m)
        {
            if (m.Dense is not null) return Dense(m.Dense);
            var s = m.Sparse!;
            var g = new H5Group();
            Encoding(g, "csr_matrix", "0.1.0");
            g.Attributes["shape"] = new long[] { s.Rows, s.Cols };
            g["data"] = Values(s.Values, new[] { (ulong)s.Values.LongLength });
            g["indices"] = Array(s.ColIndices, new[] { (ulong)s.ColIndices.LongLength });
            g["indptr"] = Array(s.RowPtr, new[] { (ulong)s.RowPtr.LongLength });
            return g;
        }

        public H5Group DataFrame(string[] index, Dictionary<string, AnnColumn> columns)
        {
            var g = new H5Group();
            Encoding(g, "dataframe", "0.2.0");
            g.Attributes["_index"] = "_index";
            // anndata itself writes an empty column-order as float64[0].
            g.Attributes["column-order"] = columns.Count == 0 ? (object)System.Array.Empty<double>() : columns.Keys.ToArray();
            g["_index"] = Strings(index);
            foreach (var (name, c) in columns) g[name] = Column(c);
            return g;
        }

        private static H5Dataset Strings(string?[] values)
        {
            var ds = new H5Dataset(values.Select(v => v ?? "").ToArray(), fileDims: new[] { (ulong)values.Length });
            Encoding(ds, "string-array", "0.2.0");
            return ds;
        }

        private H5Object Column(AnnColumn c)
        {
            switch (c.Kind)
            {
                case AnnColumnKind.String:
                    return Strings(c.Strings!);
                case AnnColumnKind.Boolean:
                    return Array(c.Booleans!.Select(b => b ? H5Bool.TRUE : H5Bool.FALSE).ToArray(), new[] { (ulong)c.Length });
                case AnnColumnKind.Categorical:
                {
                    var g = new H5Group();
                    Encoding(g, "categorical", "0.2.0");
                    g.Attributes["ordered"] = c.Ordered ? H5Bool.TRUE : H5Bool.FALSE;
                    g["categories"] = Strings(c.Categories!);
                    // pandas picks the smallest signed code type that holds the category count.
                    g["codes"] = c.Categories!.Length < sbyte.MaxValue
                        ? Array(c.Codes!.Select(v => (sbyte)v).ToArray(), new[] { (ulong)c.Length })
                        : c.Categories.Length < short.MaxValue
                            ? Array(c.Codes!.Select(v => (short)v).ToArray(), new[] { (ulong)c.Length })
                            : Array(c.Codes!, new[] { (ulong)c.Length });
                    return g;
                }
                default:
                    return c.IsIntegral && c.Numbers!.All(v => !double.IsNaN(v))
                        ? Array(c.Numbers!.Select(v => (long)v).ToArray(), new[] { (ulong)c.Length })
                        : Array(c.Numbers!, new[] { (ulong)c.Length });
            }
        }
    }
}
