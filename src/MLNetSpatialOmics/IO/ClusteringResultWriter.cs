using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Writes clustering results for scanpy users: an h5ad with <c>obs/cluster</c> (categorical), optional
/// <c>obs/truth</c>, <c>obsm/spatial</c>, <c>obsm/embedding</c> and string/number metadata in <c>uns</c>; and a
/// <c>spot,cluster</c> CSV beside it (same stem, <c>.csv</c>).
/// </summary>
public static class ClusteringResultWriter
{
    public static (string H5ad, string Csv) Write(string h5adPath, IReadOnlyList<string> spotIds, IReadOnlyList<double> x,
        IReadOnlyList<double> y, IReadOnlyList<string?> clusters, DenseMatrix? embedding = null,
        IReadOnlyList<string?>? truth = null, IReadOnlyDictionary<string, object>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(spotIds);
        int n = spotIds.Count;
        if (x.Count != n || y.Count != n || clusters.Count != n || (truth is not null && truth.Count != n) || (embedding is not null && embedding.Rows != n))
            throw new ArgumentException($"result for '{h5adPath}': every per-spot input must have {n} rows.");
        var data = new AnnData(spotIds.ToArray(), Array.Empty<string>());
        data.Obs["cluster"] = AnnColumn.CategoricalFromLabels("cluster", clusters);
        if (truth is not null) data.Obs["truth"] = AnnColumn.CategoricalFromLabels("truth", truth);
        var spatial = new DenseMatrix(n, 2);
        for (int i = 0; i < n; i++) { spatial[i, 0] = x[i]; spatial[i, 1] = y[i]; }
        data.Obsm["spatial"] = spatial;
        if (embedding is not null) data.Obsm["embedding"] = embedding;
        if (metadata is not null)
            foreach (var kv in metadata) data.Uns[kv.Key] = kv.Value;
        H5adWriter.Write(data, h5adPath);
        string csv = Path.ChangeExtension(h5adPath, ".csv");
        LabelCsv.Write(csv, spotIds.ToArray(), clusters, "cluster");
        return (h5adPath, csv);
    }
}
