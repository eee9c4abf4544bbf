using MLNetSpatialOmics.Numerics;
namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// Matches a new section's features to the features a transform was fitted on, by slot name. Repeated names
/// (HLN has PTPRC twice) are matched by occurrence: the k-th "PTPRC" of the new section to the k-th fitted one.
/// </summary>
public static class FeatureAlignment
{
    /// <summary>For each fitted feature, its column in the new section, or −1 when the section lacks it.</summary>
    public static int[] Map(IReadOnlyList<string> fitted, IReadOnlyList<string> incoming)
    {
        var positions = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (int j = 0; j < incoming.Count; j++)
        {
            if (!positions.TryGetValue(incoming[j], out var q)) positions[incoming[j]] = q = new Queue<int>();
            q.Enqueue(j);
        }
        var map = new int[fitted.Count];
        for (int f = 0; f < fitted.Count; f++)
            map[f] = positions.TryGetValue(fitted[f], out var q) && q.Count > 0 ? q.Dequeue() : -1;
        return map;
    }

    public static bool IsIdentity(int[] map, int incomingCount)
    {
        if (map.Length != incomingCount) return false;
        for (int i = 0; i < map.Length; i++) if (map[i] != i) return false;
        return true;
    }

    /// <summary>Reorders the new section's columns into the fitted order; fitted features it lacks become zero columns.</summary>
    public static FeatureMatrix Apply(FeatureMatrix x, int[] map)
    {
        if (x.Sparse is { } s)
        {
            var newIndex = new int[s.Cols];
            Array.Fill(newIndex, -1);
            for (int f = 0; f < map.Length; f++) if (map[f] >= 0) newIndex[map[f]] = f;
            return new FeatureMatrix(FeatureMatrix.RemapColumns(s, newIndex, map.Length));
        }
        var d = x.Dense!;
        var r = new Numerics.DenseMatrix(d.Rows, map.Length);
        Parallel.For(0, d.Rows, Parallelism.Options, i =>
        {
            var src = d.RowReadOnly(i); var dst = r.Row(i);
            for (int f = 0; f < map.Length; f++) if (map[f] >= 0) dst[f] = src[map[f]];
        });
        return new FeatureMatrix(r);
    }
}
