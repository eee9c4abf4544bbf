namespace MLNetSpatialOmics.Data;

/// <summary>
/// A tissue section measured in one or more modalities, aligned by spot: row i of every modality, coordinate i and
/// truth label i all belong to spot <c>SpotIds[i]</c>.
/// </summary>
public sealed class SpatialSection
{
    public string[] SpotIds { get; }
    public double[] X { get; }
    public double[] Y { get; }
    /// <summary>Modalities in the order they were added (that order is the column order of the IDataView).</summary>
    public IReadOnlyList<ModalityData> Modalities { get; }
    /// <summary>Optional ground-truth labels (null entries = unknown for that spot).</summary>
    public string?[]? Truth { get; }
    /// <summary>Optional section name (file stem, simulator seed, ...), used in messages.</summary>
    public string? Name { get; }

    public int SpotCount => SpotIds.Length;

    public SpatialSection(string[] spotIds, double[] x, double[] y, IReadOnlyList<ModalityData> modalities,
        string?[]? truth = null, string? name = null)
    {
        SpotIds = spotIds ?? throw new ArgumentNullException(nameof(spotIds));
        X = x ?? throw new ArgumentNullException(nameof(x));
        Y = y ?? throw new ArgumentNullException(nameof(y));
        Modalities = modalities ?? throw new ArgumentNullException(nameof(modalities));
        Truth = truth;
        Name = name;
        string where = name is null ? "section" : $"section '{name}'";
        int n = spotIds.Length;
        if (x.Length != n || y.Length != n)
            throw new ArgumentException($"{where}: {n} spot ids but {x.Length} x and {y.Length} y coordinates.");
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"{where}: spot '{spotIds[i]}' (row {i}) has a non-finite coordinate ({x[i]}, {y[i]}).");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in spotIds)
            if (!seen.Add(id)) throw new ArgumentException($"{where}: spot id '{id}' occurs more than once.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in modalities)
        {
            if (m.SpotCount != n)
                throw new ArgumentException($"{where}: modality '{m.Name}' has {m.SpotCount} rows, the section has {n} spots.");
            if (!names.Add(m.Name)) throw new ArgumentException($"{where}: modality '{m.Name}' is given twice.");
        }
        if (truth is not null && truth.Length != n)
            throw new ArgumentException($"{where}: {truth.Length} truth labels for {n} spots.");
    }

    public ModalityData GetModality(string name) =>
        Modalities.FirstOrDefault(m => m.Name == name)
        ?? throw new KeyNotFoundException($"section{(Name is null ? "" : $" '{Name}'")} has no modality '{name}' (it has: {string.Join(", ", Modalities.Select(m => m.Name))}).");
}
