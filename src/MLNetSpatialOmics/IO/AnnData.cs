using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// The parts of an AnnData object this library uses: <c>X</c>, <c>layers</c>, <c>obs</c>/<c>var</c> names and
/// columns, <c>obsm</c> arrays and scalar <c>uns</c> entries. Rows are observations (spots), columns variables
/// (genes / proteins / peaks). Used both as the result of <see cref="H5adReader"/> and as the input of
/// <see cref="H5adWriter"/>.
/// </summary>
public sealed class AnnData
{
    /// <summary>Observation (spot) names, the <c>obs</c> index.</summary>
    public string[] ObsNames { get; }
    /// <summary>Variable (feature) names, the <c>var</c> index, exactly as stored (may contain duplicates).</summary>
    public string[] VarNames { get; }
    /// <summary>The main matrix; null when the file has none (allowed when writing results, refused when reading unless asked).</summary>
    public AnnMatrix? X { get; }
    public Dictionary<string, AnnMatrix> Layers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, AnnColumn> Obs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, AnnColumn> Var { get; } = new(StringComparer.Ordinal);
    /// <summary>Per-observation arrays (<c>spatial</c>, embeddings), one row per observation.</summary>
    public Dictionary<string, DenseMatrix> Obsm { get; } = new(StringComparer.Ordinal);
    /// <summary>Scalar <c>uns</c> entries (string, double, long or bool); nested dictionaries use <c>/</c> in the key.</summary>
    public Dictionary<string, object> Uns { get; } = new(StringComparer.Ordinal);
    /// <summary>HDF5 paths the reader saw but did not load (unsupported encodings, non-scalar uns, ...), with the reason.</summary>
    public List<string> Skipped { get; } = new();
    /// <summary>The file it was read from, when read.</summary>
    public string? SourcePath { get; init; }

    public int ObsCount => ObsNames.Length;
    public int VarCount => VarNames.Length;

    public AnnData(string[] obsNames, string[] varNames, AnnMatrix? x = null)
    {
        ObsNames = obsNames ?? throw new ArgumentNullException(nameof(obsNames));
        VarNames = varNames ?? throw new ArgumentNullException(nameof(varNames));
        X = x;
        if (x is not null && (x.Rows != obsNames.Length || x.Cols != varNames.Length))
            throw new ArgumentException($"X is {x.Rows}×{x.Cols} but there are {obsNames.Length} obs names and {varNames.Length} var names.");
    }

    /// <summary>X or a named layer; <paramref name="layer"/> null or "X" means X.</summary>
    public AnnMatrix GetMatrix(string? layer = null)
    {
        if (layer is null || layer == "X")
            return X ?? throw new KeyNotFoundException($"{SourcePath ?? "AnnData"}: no X was read.");
        return Layers.TryGetValue(layer, out var m) ? m
            : throw new KeyNotFoundException($"{SourcePath ?? "AnnData"}: no layer '{layer}' (layers: {(Layers.Count == 0 ? "none" : string.Join(", ", Layers.Keys))}).");
    }

    public override string ToString() =>
        $"AnnData {ObsCount} × {VarCount}" +
        (X is null ? ", no X" : $", X {X.StorageFormat} {X.ElementType}") +
        (Layers.Count > 0 ? $", layers [{string.Join(", ", Layers.Keys)}]" : "") +
        (Obs.Count > 0 ? $", obs [{string.Join(", ", Obs.Keys)}]" : "") +
        (Obsm.Count > 0 ? $", obsm [{string.Join(", ", Obsm.Keys)}]" : "");
}
