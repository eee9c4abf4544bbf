using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Data;

/// <summary>A loaded section and the report of how it was assembled.</summary>
public sealed record LoadedSection(SpatialSection Section, SectionLoadReport Report);

/// <summary>
/// Builds a <see cref="SpatialSection"/> from one .h5ad file per modality: spots are matched by id (the
/// intersection, in the first modality's order; the report lists what was dropped), feature names are made unique,
/// coordinates come from <c>obsm/spatial</c> (or are given), truth comes from an obs column or a CSV.
/// Sparse matrices stay sparse.
/// </summary>
public static class SectionLoader
{
    /// <summary>Shorthand: modalities as (name, path) pairs, coordinates from the first file, no truth.</summary>
    public static LoadedSection Load(params (string Modality, string Path)[] modalities)
    {
        var o = new SectionLoadOptions();
        foreach (var (m, p) in modalities) o.Add(m, p);
        return Load(o);
    }

    public static LoadedSection Load(SectionLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Modalities.Count == 0) throw new ArgumentException("SectionLoadOptions.Modalities is empty: give at least one modality file.", nameof(options));
        var dupName = options.Modalities.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (dupName is not null) throw new ArgumentException($"modality '{dupName.Key}' is given twice.", nameof(options));
        string coordFrom = options.CoordinatesFrom ?? options.Modalities[0].Name;
        string truthFrom = options.TruthModality ?? options.Modalities[0].Name;
        if (options.Coordinates is null && options.Modalities.All(m => m.Name != coordFrom))
            throw new ArgumentException($"CoordinatesFrom '{coordFrom}' is not one of the modalities ({string.Join(", ", options.Modalities.Select(m => m.Name))}).", nameof(options));
        if (options.TruthObsColumn is not null && options.TruthCsvPath is not null)
            throw new ArgumentException("give truth either as an obs column (TruthObsColumn) or as a CSV (TruthCsvPath), not both.", nameof(options));
        if (options.TruthObsColumn is not null && options.Modalities.All(m => m.Name != truthFrom))
            throw new ArgumentException($"TruthModality '{truthFrom}' is not one of the modalities.", nameof(options));

        var report = new SectionLoadReport();
        var files = new List<(ModalitySource Src, AnnData Data, Dictionary<string, int> Row)>();
        foreach (var src in options.Modalities)
        {
            bool wantCoords = options.Coordinates is null && src.Name == coordFrom;
            var ro = H5adReadOptions.ForSection(src.Layer, wantCoords ? options.SpatialKey : null);
            ro.ReadObsColumns = options.TruthObsColumn is not null && src.Name == truthFrom;
            AnnData ad;
            try { ad = H5adReader.Read(src.Path, ro); }
            catch (H5adFormatException e) when (wantCoords && e.Field == $"obsm/{options.SpatialKey}" && e.Message.Contains("missing", StringComparison.Ordinal))
            {
                throw new H5adFormatException(e.FilePath, e.Field,
                    $"no spatial coordinates: the file has no obsm/{options.SpatialKey} (set SectionLoadOptions.SpatialKey, CoordinatesFrom another modality, or give Coordinates explicitly).", e);
            }
            files.Add((src, ad, RowIndex(ad)));
            report.SourceSpotCounts[src.Name] = ad.ObsCount;
        }

        // Intersection in the first file's order.
        var sets = files.Select(f => f.Row).ToList();
        var common = files[0].Data.ObsNames.Where(id => sets.All(s => s.ContainsKey(id))
            && (options.Coordinates is null || options.Coordinates.ContainsKey(id))).ToArray();
        foreach (var f in files)
        {
            var keep = new HashSet<string>(common, StringComparer.Ordinal);
            report.DroppedSpots[f.Src.Name] = f.Data.ObsNames.Where(id => !keep.Contains(id)).ToArray();
        }
        if (options.Coordinates is not null)
        {
            report.SourceSpotCounts["coordinates"] = options.Coordinates.Count;
            var keep = new HashSet<string>(common, StringComparer.Ordinal);
            report.DroppedSpots["coordinates"] = options.Coordinates.Keys.Where(id => !keep.Contains(id)).ToArray();
        }
        if (common.Length == 0)
            throw new InvalidDataException("no spot id is common to all modality files, so there is nothing to align: " +
                string.Join("; ", files.Select(f => $"{f.Src.Name} = {Path.GetFullPath(f.Src.Path)} ({f.Data.ObsCount} spots, e.g. {string.Join(", ", f.Data.ObsNames.Take(3).Select(s => $"'{s}'"))})")) +
                (options.Coordinates is null ? "" : $"; explicit coordinates ({options.Coordinates.Count} spots)") +
                ". Spot ids must match exactly (check prefixes such as 's1-' or barcode suffixes such as '-1').");
        report.SpotCount = common.Length;

        var modalities = new List<ModalityData>();
        foreach (var f in files)
        {
            var rows = common.Select(id => f.Row[id]).ToArray();
            var m = f.Data.GetMatrix(f.Src.Layer);
            var names = UniqueNames.MakeUnique(f.Data.VarNames, out var renames);
            report.RenamedFeatures[f.Src.Name] = renames;
            modalities.Add(m.Sparse is not null
                ? new ModalityData(f.Src.Name, names, GatherRows(m.Sparse, rows))
                : new ModalityData(f.Src.Name, names, GatherRows(m.Dense!, rows)));
        }

        var (x, y) = Coordinates(options, files, coordFrom, common, report);
        var truth = Truth(options, files, truthFrom, common, report);
        string name = options.Name ?? new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(options.Modalities[0].Path))!).Name;
        var section = new SpatialSection(common, x, y, modalities, truth, name);
        return new LoadedSection(section, report);
    }

    private static Dictionary<string, int> RowIndex(AnnData ad)
    {
        var index = new Dictionary<string, int>(ad.ObsCount, StringComparer.Ordinal);
        for (int i = 0; i < ad.ObsCount; i++)
            if (!index.TryAdd(ad.ObsNames[i], i))
                throw new H5adFormatException(ad.SourcePath ?? "", "obs/_index",
                    $"spot id '{ad.ObsNames[i]}' occurs at rows {index[ad.ObsNames[i]]} and {i}; spot ids must be unique to align modalities (call obs_names_make_unique() in anndata).");
        return index;
    }

    private static (double[] X, double[] Y) Coordinates(SectionLoadOptions o, List<(ModalitySource Src, AnnData Data, Dictionary<string, int> Row)> files,
        string coordFrom, string[] common, SectionLoadReport report)
    {
        var x = new double[common.Length];
        var y = new double[common.Length];
        if (o.Coordinates is not null)
        {
            for (int i = 0; i < common.Length; i++)
            {
                (x[i], y[i]) = o.Coordinates[common[i]];
                if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                    throw new ArgumentException($"explicit coordinates: spot '{common[i]}' has a non-finite coordinate ({x[i]}, {y[i]}).", nameof(o));
            }
            report.CoordinatesSource = "given explicitly";
            return (x, y);
        }
        var f = files.First(v => v.Src.Name == coordFrom);
        string field = $"obsm/{o.SpatialKey}";
        var xy = f.Data.Obsm[o.SpatialKey];
        if (xy.Cols < 2)
            throw new H5adFormatException(f.Data.SourcePath!, field, $"has {xy.Cols} column(s); x and y (at least 2 columns) were expected.");
        for (int i = 0; i < common.Length; i++)
        {
            int r = f.Row[common[i]];
            x[i] = xy[r, 0];
            y[i] = xy[r, 1];
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new H5adFormatException(f.Data.SourcePath!, field,
                    $"spot '{common[i]}' (row {r}) has a non-finite coordinate ({x[i]}, {y[i]}); every spot needs finite x and y.");
        }
        report.CoordinatesSource = $"{field} of {f.Src.Name} ({f.Data.SourcePath})";
        return (x, y);
    }

    private static string?[]? Truth(SectionLoadOptions o, List<(ModalitySource Src, AnnData Data, Dictionary<string, int> Row)> files,
        string truthFrom, string[] common, SectionLoadReport report)
    {
        if (o.TruthObsColumn is not null)
        {
            var f = files.First(v => v.Src.Name == truthFrom);
            if (!f.Data.Obs.TryGetValue(o.TruthObsColumn, out var col))
                throw new H5adFormatException(f.Data.SourcePath!, $"obs/{o.TruthObsColumn}",
                    $"missing: no obs column '{o.TruthObsColumn}' for the truth labels (obs columns: {(f.Data.Obs.Count == 0 ? "none" : string.Join(", ", f.Data.Obs.Keys))}).");
            var all = col.ToStrings();
            var truth = common.Select(id => all[f.Row[id]]).ToArray();
            report.TruthSource = $"obs/{o.TruthObsColumn} of {f.Src.Name} ({f.Data.SourcePath})";
            report.TruthUnknownCount = truth.Count(t => t is null);
            return truth;
        }
        if (o.TruthCsvPath is not null)
        {
            var labels = LabelCsv.Read(o.TruthCsvPath, o.TruthCsvColumn);
            var truth = common.Select(id => labels.TryGetValue(id, out var l) ? l : null).ToArray();
            var inSection = new HashSet<string>(common, StringComparer.Ordinal);
            report.TruthSource = $"{Path.GetFullPath(o.TruthCsvPath)}{(o.TruthCsvColumn is null ? "" : $" column '{o.TruthCsvColumn}'")}";
            report.TruthUnknownCount = truth.Count(t => t is null);
            report.TruthUnmatchedRows = labels.Keys.Count(k => !inSection.Contains(k));
            if (report.TruthUnknownCount == common.Length)
                throw new InvalidDataException($"{Path.GetFullPath(o.TruthCsvPath)}: none of its {labels.Count} spot ids matches a spot of the section (section ids look like '{common[0]}', the CSV's like '{labels.Keys.FirstOrDefault()}').");
            return truth;
        }
        return null;
    }

    internal static CsrMatrix GatherRows(CsrMatrix m, int[] rows)
    {
        if (IsIdentity(rows, m.Rows)) return m;
        var ptr = new long[rows.Length + 1];
        for (int i = 0; i < rows.Length; i++) ptr[i + 1] = ptr[i] + m.RowLength(rows[i]);
        var cols = new int[ptr[rows.Length]];
        var vals = new double[ptr[rows.Length]];
        for (int i = 0; i < rows.Length; i++)
        {
            m.RowIndices(rows[i]).CopyTo(cols.AsSpan((int)ptr[i]));
            m.RowValues(rows[i]).CopyTo(vals.AsSpan((int)ptr[i]));
        }
        return new CsrMatrix(rows.Length, m.Cols, ptr, cols, vals, validate: false);
    }

    internal static DenseMatrix GatherRows(DenseMatrix m, int[] rows)
    {
        if (IsIdentity(rows, m.Rows)) return m;
        var d = new DenseMatrix(rows.Length, m.Cols);
        for (int i = 0; i < rows.Length; i++) m.RowReadOnly(rows[i]).CopyTo(d.Row(i));
        return d;
    }

    private static bool IsIdentity(int[] rows, int n)
    {
        if (rows.Length != n) return false;
        for (int i = 0; i < n; i++) if (rows[i] != i) return false;
        return true;
    }
}
