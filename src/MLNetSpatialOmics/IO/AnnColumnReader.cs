using PureHDF;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Reads one obs/var column in any of the encodings anndata has used: plain numeric / string / bool arrays,
/// categoricals as a group (<c>codes</c> + <c>categories</c>, anndata ≥ 0.8) or as a codes dataset whose categories
/// live in <c>__categories/&lt;name&gt;</c> (pre-0.8), and nullable integer/boolean groups (<c>values</c> + <c>mask</c>).
/// </summary>
internal static class AnnColumnReader
{
    public static AnnColumn? Read(Hdf5Arrays io, IH5Group frame, string frameName, string name, int length, List<string> skipped)
    {
        string field = $"{frameName}/{name}";
        var obj = io.Guard(field, () => frame.Get(name));
        if (obj is IH5Group g)
        {
            string? enc = H5adReader.StringAttribute(io, g, "encoding-type", field);
            return enc switch
            {
                "categorical" => Categorical(io, g, field, name, length,
                    Child(io, g, field, "codes"), Child(io, g, field, "categories"), Ordered(io, g, field)),
                "nullable-integer" or "nullable-boolean" => Nullable(io, g, field, name, length, enc == "nullable-boolean"),
                _ => Skip(skipped, field, $"group with encoding '{enc ?? "(none)"}' not loaded"),
            };
        }
        var ds = (IH5Dataset)obj;
        var dims = io.Dims(ds);
        if (dims.Length != 1)
            return Skip(skipped, field, $"shape {string.Join("×", dims)} is not a column");
        if (dims[0] != (ulong)length)
            throw io.Error(field, $"has {dims[0]} values but {frameName} has {length} rows.");
        if (io.Guard(field, () => ds.AttributeExists("categories")))
        {
            // Legacy categorical: the 'categories' attribute is an object reference to __categories/<name>.
            string catPath = $"__categories/{name}";
            if (!io.Guard(field, () => frame.LinkExists(catPath)))
                throw io.Error(field, $"is a legacy categorical but {frameName}/{catPath} is missing.");
            var cats = io.Guard(field, () => frame.Dataset(catPath));
            return Categorical(io, null, field, name, length, ds, cats, Ordered(io, cats, field));
        }
        var t = ds.Type;
        if (Hdf5Arrays.IsString(t)) return AnnColumn.Text(name, io.ReadStrings(ds, field));
        if (t.Class == H5DataTypeClass.Enumerated && t.Size == 1)
            return AnnColumn.Boolean(name, io.ReadDoubles(ds, field).Select(v => v != 0).ToArray());
        if (Hdf5Arrays.IsNumeric(t)) return AnnColumn.Numeric(name, io.ReadDoubles(ds, field), Hdf5Arrays.IsInteger(t));
        return Skip(skipped, field, $"{Hdf5Arrays.TypeName(t)} column not loaded");
    }

    private static AnnColumn? Skip(List<string> skipped, string field, string why)
    {
        skipped.Add($"{field}: {why}");
        return null;
    }

    private static IH5Dataset Child(Hdf5Arrays io, IH5Group g, string field, string name)
    {
        if (!io.Guard(field, () => g.LinkExists(name))) throw io.Error($"{field}/{name}", "missing.");
        return io.Guard($"{field}/{name}", () => g.Dataset(name));
    }

    private static bool Ordered(Hdf5Arrays io, IH5Object obj, string field)
    {
        if (!io.Guard(field, () => obj.AttributeExists("ordered"))) return false;
        var a = io.Guard(field, () => obj.Attribute("ordered"));
        try { return a.Type.Size == 1 ? a.Read<byte>() != 0 : a.Read<long>() != 0; }
        catch (Exception) { return false; } // an unreadable flag only changes pandas' ordering semantics
    }

    private static AnnColumn Categorical(Hdf5Arrays io, IH5Group? g, string field, string name, int length,
        IH5Dataset codesDs, IH5Dataset catsDs, bool ordered)
    {
        string codesField = g is null ? field : $"{field}/codes";
        string catsField = g is null ? $"{field} (categories)" : $"{field}/categories";
        var codeDims = io.Dims(codesDs);
        if (codeDims.Length != 1 || codeDims[0] != (ulong)length)
            throw io.Error(codesField, $"has shape {string.Join("×", codeDims)} but there are {length} rows.");
        string[] categories = Hdf5Arrays.IsString(catsDs.Type)
            ? io.ReadStrings(catsDs, catsField, g is null ? CategoriesPath(field) : catsField)
            : io.ReadDoubles(catsDs, catsField).Select(AnnColumn.FormatNumber).ToArray();
        var raw = io.ReadInt64(codesDs, codesField);
        var codes = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] < -1 || raw[i] >= categories.Length)
                throw io.Error(codesField, $"row {i} has code {raw[i]} but there are {categories.Length} categories (valid codes: -1..{categories.Length - 1}).");
            codes[i] = (int)raw[i];
        }
        return AnnColumn.Categorical(name, categories, codes, ordered);
    }

    /// <summary>HDF5 path of a legacy categorical's categories: obs/name → obs/__categories/name.</summary>
    private static string CategoriesPath(string field)
    {
        int slash = field.IndexOf('/');
        return $"{field[..slash]}/__categories/{field[(slash + 1)..]}";
    }

    private static AnnColumn Nullable(Hdf5Arrays io, IH5Group g, string field, string name, int length, bool boolean)
    {
        var values = Child(io, g, field, "values");
        var vd = io.Dims(values);
        if (vd.Length != 1 || vd[0] != (ulong)length)
            throw io.Error($"{field}/values", $"has shape {string.Join("×", vd)} but there are {length} rows.");
        var v = io.ReadDoubles(values, $"{field}/values");
        if (io.Guard(field, () => g.LinkExists("mask")))
        {
            var mask = io.ReadDoubles(Child(io, g, field, "mask"), $"{field}/mask");
            if (mask.Length != length) throw io.Error($"{field}/mask", $"has {mask.Length} values but there are {length} rows.");
            for (int i = 0; i < length; i++) if (mask[i] != 0) v[i] = double.NaN;
        }
        if (boolean && v.All(x => !double.IsNaN(x))) return AnnColumn.Boolean(name, v.Select(x => x != 0).ToArray());
        return AnnColumn.Numeric(name, v, isIntegral: !boolean);
    }
}
