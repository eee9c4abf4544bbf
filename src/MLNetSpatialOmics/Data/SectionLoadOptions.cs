namespace MLNetSpatialOmics.Data;

/// <summary>One modality of a section: its name (the IDataView column), its .h5ad file and which matrix to use.</summary>
public sealed record ModalitySource(string Name, string Path, string? Layer = null);

/// <summary>What <see cref="SectionLoader"/> loads and how it aligns it.</summary>
public sealed class SectionLoadOptions
{
    /// <summary>Modalities in column order, e.g. RNA → adata_RNA.h5ad, ADT → adata_ADT.h5ad.</summary>
    public List<ModalitySource> Modalities { get; } = new();

    /// <summary>The <c>obsm</c> key holding x/y (first two columns are used).</summary>
    public string SpatialKey { get; set; } = "spatial";
    /// <summary>Which modality's file gives the coordinates; null = the first modality.</summary>
    public string? CoordinatesFrom { get; set; }
    /// <summary>Explicit coordinates by spot id; when set, files' <c>obsm</c> is not used and spots without an entry are dropped.</summary>
    public IReadOnlyDictionary<string, (double X, double Y)>? Coordinates { get; set; }

    /// <summary>Truth labels from this obs column (of <see cref="TruthModality"/>'s file, default the first modality).</summary>
    public string? TruthObsColumn { get; set; }
    public string? TruthModality { get; set; }
    /// <summary>Truth labels from a CSV: header row, first column = spot id; spots missing from it are unknown.</summary>
    public string? TruthCsvPath { get; set; }
    /// <summary>The CSV's label column; null = its second column.</summary>
    public string? TruthCsvColumn { get; set; }

    /// <summary>Section name used in messages; null = the first file's folder name.</summary>
    public string? Name { get; set; }

    public SectionLoadOptions Add(string modality, string path, string? layer = null)
    {
        Modalities.Add(new ModalitySource(modality, path, layer));
        return this;
    }
}
