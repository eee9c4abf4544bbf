using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Data;

/// <summary>
/// Writes a section the way SpatialGlue/PRAGA users keep their data: one <c>adata_&lt;Modality&gt;.h5ad</c> per
/// modality (X = the modality's matrix, <c>obsm/spatial</c> = coordinates) and a truth CSV (<c>spot,domain</c>).
/// <see cref="SectionLoader"/> reads the result back.
/// </summary>
public static class SectionWriter
{
    /// <summary>Writes every modality and, when the section has truth, <c>truth.csv</c>; returns modality → path.</summary>
    public static IReadOnlyDictionary<string, string> Write(SpatialSection section, string directory, string truthColumn = "domain")
    {
        ArgumentNullException.ThrowIfNull(section);
        Directory.CreateDirectory(directory);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var spatial = new DenseMatrix(section.SpotCount, 2);
        for (int i = 0; i < section.SpotCount; i++) { spatial[i, 0] = section.X[i]; spatial[i, 1] = section.Y[i]; }
        foreach (var m in section.Modalities)
        {
            var matrix = m.Sparse is not null ? new AnnMatrix(m.Sparse) : new AnnMatrix(m.Dense!);
            var data = new AnnData(section.SpotIds, m.FeatureNames, matrix);
            data.Obsm["spatial"] = spatial;
            if (section.Truth is not null) data.Obs[truthColumn] = AnnColumn.CategoricalFromLabels(truthColumn, section.Truth);
            string path = Path.Combine(directory, $"adata_{m.Name}.h5ad");
            H5adWriter.Write(data, path);
            paths[m.Name] = path;
        }
        if (section.Truth is not null)
            LabelCsv.Write(Path.Combine(directory, "truth.csv"), section.SpotIds, section.Truth, truthColumn);
        return paths;
    }
}
