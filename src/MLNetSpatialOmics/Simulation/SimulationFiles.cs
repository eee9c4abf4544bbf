using System.Globalization;
using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// Writes simulated sections in the layout of SpatialGlue's triplet folder: one <c>adata_{modality}.h5ad</c> per
/// modality (X = stored values, <c>layers/counts</c>, <c>obsm/spatial</c>, obs column <c>domain</c>) and a
/// <c>truth.csv</c> with header <c>spot,domain</c>. Every file appears atomically (temporary file + rename).
/// </summary>
public static class SimulationFiles
{
    public const string TruthFileName = "truth.csv";

    public static string ModalityFileName(string modality) => $"adata_{modality}.h5ad";

    /// <summary>Writes one section into <paramref name="directory"/> (created when missing); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SimulatedSection simulated, string directory, H5adWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException("the output folder must not be empty.", nameof(directory));
        Directory.CreateDirectory(directory);
        var section = simulated.Section;
        var spatial = new DenseMatrix(section.SpotCount, 2);
        for (int i = 0; i < section.SpotCount; i++) { spatial[i, 0] = section.X[i]; spatial[i, 1] = section.Y[i]; }
        var written = new List<string>();
        foreach (var modality in section.Modalities)
        {
            var x = modality.Sparse is not null ? new AnnMatrix(modality.Sparse) : new AnnMatrix(modality.Dense!);
            var data = new AnnData(section.SpotIds, modality.FeatureNames, x);
            if (simulated.Counts.TryGetValue(modality.Name, out var counts)) data.Layers["counts"] = new AnnMatrix(counts);
            data.Obsm["spatial"] = spatial;
            data.Obs["domain"] = AnnColumn.CategoricalFromLabels("domain", section.Truth ?? new string?[section.SpotCount]);
            string path = Path.Combine(directory, ModalityFileName(modality.Name));
            H5adWriter.Write(data, path, options);
            written.Add(path);
        }
        string truthPath = Path.Combine(directory, TruthFileName);
        WriteTruth(truthPath, section.SpotIds, simulated.Domains);
        written.Add(truthPath);
        return written;
    }

    /// <summary>Several sections into <c>section_0</c>, <c>section_1</c>, ... under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> WriteSections(IReadOnlyList<SimulatedSection> sections, string directory, H5adWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var written = new List<string>();
        for (int k = 0; k < sections.Count; k++)
            written.AddRange(Write(sections[k], Path.Combine(directory, $"section_{k.ToString(CultureInfo.InvariantCulture)}"), options));
        return written;
    }

    private static void WriteTruth(string path, string[] spotIds, int[] domains) =>
        LabelCsv.Write(path, spotIds, domains.Select(d => (string?)d.ToString(CultureInfo.InvariantCulture)).ToArray(), "domain");
}
