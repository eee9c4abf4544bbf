using MLNetSpatialOmics.Numerics;
using PureHDF;
using PureHDF.VOL.Native;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Reads AnnData <c>.h5ad</c> files (anndata ≥ 0.8 encoding and the legacy pre-0.8 layout) with PureHDF.
/// Every failure is an <see cref="H5adFormatException"/> naming the file and the field. Declared shapes and
/// sparse index arrays are checked before the matrices they describe are allocated.
/// </summary>
public static class H5adReader
{
    public static AnnData Read(string path, H5adReadOptions? options = null)
    {
        options ??= new H5adReadOptions();
        path = System.IO.Path.GetFullPath(path);
        Hdf5FileCheck.Check(path);
        using var io = new Hdf5Arrays(path, new FileInfo(path).Length);
        NativeFile file;
        try { file = H5File.OpenRead(path); }
        catch (Exception e) { throw io.Translate("", e); }
        using (file)
        {
            try { return ReadFile(io, file, options); }
            catch (H5adFormatException) { throw; }
            catch (OutOfMemoryException) { throw; }
            catch (Exception e) { throw io.Translate("", e); }
        }
    }

    private static AnnData ReadFile(Hdf5Arrays io, NativeFile root, H5adReadOptions options)
    {
        var obsNames = ReadIndex(io, root, "obs");
        var varNames = ReadIndex(io, root, "var");
        AnnMatrix? x = null;
        if (options.ReadX)
        {
            if (Exists(io, root, "X")) x = ReadMatrix(io, root, "X", obsNames.Length, varNames.Length);
            else if (options.RequireX)
                throw io.Error("X", "missing: the file has no X matrix (an AnnData file needs one; read a layer instead with H5adReadOptions.Layers and RequireX = false).");
        }
        var ad = new AnnData(obsNames, varNames, x) { SourcePath = io.Path };

        if (options.Layers is null || options.Layers.Count > 0)
        {
            var have = Exists(io, root, "layers") ? ChildNames(io, root.Group("layers"), "layers") : new List<string>();
            var wanted = options.Layers ?? (IReadOnlyCollection<string>)have;
            foreach (var name in wanted)
            {
                if (!have.Contains(name))
                    throw io.Error($"layers/{name}", $"missing: the file has no layer '{name}' (layers: {(have.Count == 0 ? "none" : string.Join(", ", have))}).");
                ad.Layers[name] = ReadMatrix(io, root, $"layers/{name}", obsNames.Length, varNames.Length);
            }
        }
        if (options.ReadObsColumns) ReadColumns(io, root, "obs", obsNames.Length, ad.Obs, ad.Skipped);
        if (options.ReadVarColumns) ReadColumns(io, root, "var", varNames.Length, ad.Var, ad.Skipped);
        if (options.Obsm is null || options.Obsm.Count > 0) ReadObsm(io, root, obsNames.Length, options.Obsm, ad);
        if (options.ReadUns && Exists(io, root, "uns")) ReadUns(io, root.Group("uns"), "uns", "", ad);
        return ad;
    }

    private static bool Exists(Hdf5Arrays io, IH5Group g, string path) => io.Guard(path, () => g.LinkExists(path));

    private static List<string> ChildNames(Hdf5Arrays io, IH5Group g, string field) =>
        io.Guard(field, () => g.Children().Select(c => c.Name).ToList());

    internal static string? StringAttribute(Hdf5Arrays io, IH5Object obj, string name, string field)
    {
        if (!io.Guard(field, () => obj.AttributeExists(name))) return null;
        var a = io.Guard(field, () => obj.Attribute(name));
        if (!Hdf5Arrays.IsString(a.Type)) return null;
        return io.Guard(field, () => a.Space.Type == H5DataspaceType.Scalar ? a.Read<string>() : a.Read<string[]>().FirstOrDefault());
    }

    private static string[] ReadIndex(Hdf5Arrays io, IH5Group root, string name)
    {
        if (!Exists(io, root, name))
            throw io.Error(name, $"missing: the file has no '{name}' data frame (an AnnData file needs obs and var).");
        var obj = io.Guard(name, () => root.Get(name));
        if (obj is not IH5Group g)
            throw io.Error(name, "is a compound dataset (the AnnData < 0.7 layout), which is not supported; re-save the file with a recent anndata.");
        string indexName = StringAttribute(io, g, "_index", name) ?? "_index";
        string field = $"{name}/{indexName}";
        if (!Exists(io, g, indexName))
            throw io.Error(field, $"missing: the {name} index dataset named by the '_index' attribute is absent.");
        var ds = io.Guard(field, () => g.Dataset(indexName));
        if (io.Dims(ds).Length != 1) throw io.Error(field, $"the index must be 1-D but has shape {string.Join("×", io.Dims(ds))}.");
        if (Hdf5Arrays.IsString(ds.Type)) return io.ReadStrings(ds, field);
        if (Hdf5Arrays.IsNumeric(ds.Type)) return io.ReadDoubles(ds, field).Select(AnnColumn.FormatNumber).ToArray();
        throw io.Error(field, $"the index holds {Hdf5Arrays.TypeName(ds.Type)}; strings were expected.");
    }

    private static AnnMatrix ReadMatrix(Hdf5Arrays io, IH5Group root, string path, int rows, int cols)
    {
        var obj = io.Guard(path, () => root.Get(path));
        if (obj is IH5Dataset ds) return ReadDense(io, ds, path, rows, cols);
        var g = (IH5Group)obj;
        string? enc = StringAttribute(io, g, "encoding-type", path) ?? StringAttribute(io, g, "h5sparse_format", path);
        bool csr = enc is "csr_matrix" or "csr";
        bool csc = enc is "csc_matrix" or "csc";
        if (!csr && !csc)
            throw io.Error(path, $"is a group with encoding '{enc ?? "(none)"}'; a dense array, csr_matrix or csc_matrix was expected.");
        return SparseMatrixReader.Read(io, g, path, csr, rows, cols);
    }

    private static AnnMatrix ReadDense(Hdf5Arrays io, IH5Dataset ds, string path, int rows, int cols)
    {
        var dims = io.Dims(ds);
        if (dims.Length != 2)
            throw io.Error(path, $"a dense matrix must be 2-D but has shape {(dims.Length == 0 ? "scalar" : string.Join("×", dims))}.");
        if (dims[0] != (ulong)rows || dims[1] != (ulong)cols)
            throw io.Error(path, $"shape {dims[0]}×{dims[1]} does not match obs ({rows} names) × var ({cols} names).");
        io.CheckDeclaredSize(ds, path);
        var m = new DenseMatrix(rows, cols);
        if (cols > 0)
        {
            int block = Math.Max(1, Hdf5Arrays.BlockElements / cols);
            for (int r = 0; r < rows; r += block)
            {
                int n = Math.Min(block, rows - r);
                io.ReadRowsInto(ds, path, r, n, cols, m.Data.AsSpan(r * cols, n * cols));
            }
        }
        return new AnnMatrix(m, Hdf5Arrays.TypeName(ds.Type));
    }

    private static void ReadColumns(Hdf5Arrays io, IH5Group root, string frame, int length, Dictionary<string, AnnColumn> into, List<string> skipped)
    {
        var g = root.Group(frame);
        string indexName = StringAttribute(io, g, "_index", frame) ?? "_index";
        var names = ChildNames(io, g, frame);
        // column-order gives pandas' order; children come back in HDF5 link order.
        var order = ColumnOrder(io, g, frame);
        var ordered = order.Where(names.Contains).Concat(names.Where(n => !order.Contains(n))).ToList();
        foreach (var name in ordered)
        {
            if (name == indexName || name == "__categories") continue;
            var col = AnnColumnReader.Read(io, g, frame, name, length, skipped);
            if (col is not null) into[name] = col;
        }
    }

    private static List<string> ColumnOrder(Hdf5Arrays io, IH5Group g, string frame)
    {
        if (!io.Guard(frame, () => g.AttributeExists("column-order"))) return new List<string>();
        var a = io.Guard(frame, () => g.Attribute("column-order"));
        // anndata writes an empty column-order as float64[0].
        if (!Hdf5Arrays.IsString(a.Type)) return new List<string>();
        return io.Guard(frame, () => a.Space.Type == H5DataspaceType.Scalar ? new List<string> { a.Read<string>() } : a.Read<string[]>().ToList());
    }

    private static void ReadObsm(Hdf5Arrays io, IH5Group root, int rows, IReadOnlyCollection<string>? wanted, AnnData ad)
    {
        var have = Exists(io, root, "obsm") ? ChildNames(io, root.Group("obsm"), "obsm") : new List<string>();
        foreach (var name in wanted ?? have)
        {
            string field = $"obsm/{name}";
            if (!have.Contains(name))
                throw io.Error(field, $"missing: the file has no obsm entry '{name}' (obsm: {(have.Count == 0 ? "none" : string.Join(", ", have))}).");
            var obj = io.Guard(field, () => root.Get(field));
            if (obj is not IH5Dataset ds)
            {
                if (wanted is not null) throw io.Error(field, "is a group (sparse matrix or data frame); a dense 2-D array was expected.");
                ad.Skipped.Add($"{field}: group (sparse or data frame) not loaded");
                continue;
            }
            var dims = io.Dims(ds);
            if (dims.Length is not (1 or 2) || !Hdf5Arrays.IsNumeric(ds.Type))
            {
                if (wanted is not null) throw io.Error(field, $"has shape {string.Join("×", dims)} of {Hdf5Arrays.TypeName(ds.Type)}; a numeric 2-D array was expected.");
                ad.Skipped.Add($"{field}: {Hdf5Arrays.TypeName(ds.Type)} shape {string.Join("×", dims)} not loaded");
                continue;
            }
            if (dims[0] != (ulong)rows)
                throw io.Error(field, $"has {dims[0]} rows but obs has {rows} names.");
            int cols = dims.Length == 1 ? 1 : checked((int)Math.Min(dims[1], int.MaxValue));
            io.CheckDeclaredSize(ds, field);
            var values = io.ReadDoubles(ds, field);
            ad.Obsm[name] = new DenseMatrix(rows, cols, values);
        }
    }

    private static void ReadUns(Hdf5Arrays io, IH5Group g, string path, string prefix, AnnData ad)
    {
        foreach (var name in ChildNames(io, g, path))
        {
            string field = $"{path}/{name}";
            string key = prefix + name;
            var obj = io.Guard(field, () => g.Get(name));
            if (obj is IH5Group sub)
            {
                string? enc = StringAttribute(io, sub, "encoding-type", field);
                if (enc is null or "dict") ReadUns(io, sub, field, key + "/", ad);
                else ad.Skipped.Add($"{field}: {enc} not loaded (only scalar uns entries are)");
                continue;
            }
            var ds = (IH5Dataset)obj;
            if (ds.Space.Type != H5DataspaceType.Scalar)
            {
                ad.Skipped.Add($"{field}: array not loaded (only scalar uns entries are)");
                continue;
            }
            var t = ds.Type;
            if (Hdf5Arrays.IsString(t)) ad.Uns[key] = io.Guard(field, () => ds.Read<string>());
            else if (t.Class == H5DataTypeClass.Enumerated && t.Size == 1) ad.Uns[key] = io.Guard(field, () => ds.Read<byte>()) != 0;
            else if (t.Class == H5DataTypeClass.FixedPoint)
            {
                var v = new long[1];
                io.ReadInt64Into(ds, field, 0, v);
                ad.Uns[key] = v[0];
            }
            else if (t.Class == H5DataTypeClass.FloatingPoint)
            {
                var v = new double[1];
                io.ReadDoublesInto(ds, field, 0, v);
                ad.Uns[key] = v[0];
            }
            else ad.Skipped.Add($"{field}: scalar of type {Hdf5Arrays.TypeName(t)} not loaded");
        }
    }
}
