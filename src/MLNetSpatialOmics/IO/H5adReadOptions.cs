namespace MLNetSpatialOmics.IO;

/// <summary>What <see cref="H5adReader"/> loads. Leaving big parts out (layers, X) keeps memory down on large files.</summary>
public sealed class H5adReadOptions
{
    /// <summary>Read <c>X</c>. When true and the file has no X, reading fails (unless <see cref="RequireX"/> is false).</summary>
    public bool ReadX { get; set; } = true;
    /// <summary>Fail when the file has no <c>X</c>. Result files written without X need this off.</summary>
    public bool RequireX { get; set; } = true;
    /// <summary>Layers to read: null = all, empty = none, else these names (a missing name is an error).</summary>
    public IReadOnlyCollection<string>? Layers { get; set; }
    public bool ReadObsColumns { get; set; } = true;
    public bool ReadVarColumns { get; set; } = true;
    /// <summary><c>obsm</c> keys to read: null = all, empty = none, else these names (a missing name is an error).</summary>
    public IReadOnlyCollection<string>? Obsm { get; set; }
    public bool ReadUns { get; set; } = true;

    /// <summary>Only the structure a section needs: X (or <paramref name="layer"/>), names, obs columns, <c>obsm/spatial</c>.</summary>
    public static H5adReadOptions ForSection(string? layer, string? spatialKey = "spatial") => new()
    {
        ReadX = layer is null || layer == "X",
        RequireX = layer is null || layer == "X",
        Layers = layer is null || layer == "X" ? Array.Empty<string>() : new[] { layer },
        ReadVarColumns = false,
        Obsm = spatialKey is null ? Array.Empty<string>() : new[] { spatialKey },
        ReadUns = false,
    };
}
