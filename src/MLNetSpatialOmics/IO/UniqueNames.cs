namespace MLNetSpatialOmics.IO;

/// <summary>
/// Makes feature names unique the way anndata's <c>var_names_make_unique()</c> does (scanpy users know it): the
/// first occurrence keeps its name, later ones get <c>-1</c>, <c>-2</c>, … (skipping any name that already exists).
/// The lymph-node ADT panel, for example, has PTPRC twice: the columns become <c>PTPRC</c> and <c>PTPRC-1</c>.
/// </summary>
public static class UniqueNames
{
    /// <summary>One renamed feature: its column, the name in the file and the slot name it was given.</summary>
    public readonly record struct Rename(int Index, string Original, string Unique);

    public static string[] MakeUnique(IReadOnlyList<string> names, out List<Rename> renames)
    {
        renames = new List<Rename>();
        var result = new string[names.Count];
        var taken = new HashSet<string>(names, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var nextSuffix = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (seen.Add(name)) { result[i] = name; continue; }
            int k = nextSuffix.GetValueOrDefault(name, 1);
            string candidate;
            do candidate = $"{name}-{k++}"; while (taken.Contains(candidate));
            nextSuffix[name] = k;
            taken.Add(candidate);
            result[i] = candidate;
            renames.Add(new Rename(i, name, candidate));
        }
        return result;
    }
}
