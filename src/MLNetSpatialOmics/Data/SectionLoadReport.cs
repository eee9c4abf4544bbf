using System.Text;
using MLNetSpatialOmics.IO;

namespace MLNetSpatialOmics.Data;

/// <summary>What <see cref="SectionLoader"/> did: spots kept and dropped, renamed features, where coordinates and truth came from.</summary>
public sealed class SectionLoadReport
{
    /// <summary>Spots in the loaded section (the intersection).</summary>
    public int SpotCount { get; internal set; }
    /// <summary>Spots per source before intersecting (modality names, plus <c>coordinates</c> when given explicitly).</summary>
    public Dictionary<string, int> SourceSpotCounts { get; } = new(StringComparer.Ordinal);
    /// <summary>Spot ids each source had that are not in every other source (so they were dropped), in file order.</summary>
    public Dictionary<string, string[]> DroppedSpots { get; } = new(StringComparer.Ordinal);
    /// <summary>Features whose names were duplicated in a file and were made unique (anndata's var_names_make_unique rule).</summary>
    public Dictionary<string, List<UniqueNames.Rename>> RenamedFeatures { get; } = new(StringComparer.Ordinal);
    public string CoordinatesSource { get; internal set; } = "";
    public string? TruthSource { get; internal set; }
    /// <summary>Spots whose truth label is unknown (missing from the CSV, empty, or missing in the obs column).</summary>
    public int TruthUnknownCount { get; internal set; }
    /// <summary>CSV rows whose spot id is not in the section.</summary>
    public int TruthUnmatchedRows { get; internal set; }

    public int TotalDropped => DroppedSpots.Values.Sum(d => d.Length);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"{SpotCount} spots kept");
        foreach (var (src, n) in SourceSpotCounts) sb.Append($"; {src}: {n} spots, {DroppedSpots.GetValueOrDefault(src)?.Length ?? 0} dropped");
        foreach (var (src, d) in DroppedSpots.Where(kv => kv.Value.Length > 0))
            sb.Append($"\n  dropped from {src}: {string.Join(", ", d.Take(10))}{(d.Length > 10 ? $", … ({d.Length - 10} more)" : "")}");
        foreach (var (m, r) in RenamedFeatures.Where(kv => kv.Value.Count > 0))
            sb.Append($"\n  {m}: duplicated feature names made unique: {string.Join(", ", r.Select(x => $"column {x.Index} '{x.Original}' → '{x.Unique}'"))}");
        sb.Append($"\n  coordinates: {CoordinatesSource}");
        if (TruthSource is not null)
            sb.Append($"\n  truth: {TruthSource}; {TruthUnknownCount} spots unknown; {TruthUnmatchedRows} label rows matched no spot");
        return sb.ToString();
    }
}
