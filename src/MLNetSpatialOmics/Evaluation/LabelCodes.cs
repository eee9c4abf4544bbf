using System.Globalization;

namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Labels of one labelling mapped to dense codes 0..Count-1 in sorted label order (numbers ascending, strings by
/// ordinal code point, as numpy's <c>unique</c> orders them). Code -1 marks a missing label.
/// </summary>
internal sealed class LabelCodes
{
    public int[] Codes { get; }
    public string[] Names { get; }
    public int Count => Names.Length;
    public int MissingCount { get; }

    private LabelCodes(int[] codes, string[] names, int missing)
    {
        Codes = codes;
        Names = names;
        MissingCount = missing;
    }

    /// <summary>Integer labels; where <paramref name="present"/> is given, a false entry marks the label as missing.</summary>
    public static LabelCodes FromInts(ReadOnlySpan<int> labels, bool[]? present = null)
    {
        int n = labels.Length;
        var codes = new int[n];
        int missing = 0;
        long min = long.MaxValue, max = long.MinValue;
        for (int i = 0; i < n; i++)
        {
            if (present is not null && !present[i]) { missing++; continue; }
            int v = labels[i];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (missing == n) return new LabelCodes(Fill(codes, -1), Array.Empty<string>(), missing);

        long range = max - min + 1;
        if (range <= Math.Max(1L << 16, 4L * n))
        {
            // Dense lookup: one pass to mark used values, one to assign codes in ascending order.
            var map = new int[range];
            for (int i = 0; i < n; i++)
                if (present is null || present[i]) map[labels[i] - min] = 1;
            var names = new List<string>();
            for (long v = 0; v < range; v++)
                if (map[v] != 0) { map[v] = names.Count; names.Add((v + min).ToString(CultureInfo.InvariantCulture)); }
            for (int i = 0; i < n; i++)
                codes[i] = present is null || present[i] ? map[labels[i] - min] : -1;
            return new LabelCodes(codes, names.ToArray(), missing);
        }

        var seen = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
            if (present is null || present[i]) seen.TryAdd(labels[i], 0);
        var sorted = seen.Keys.ToArray();
        Array.Sort(sorted);
        for (int k = 0; k < sorted.Length; k++) seen[sorted[k]] = k;
        for (int i = 0; i < n; i++) codes[i] = present is null || present[i] ? seen[labels[i]] : -1;
        return new LabelCodes(codes, sorted.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(), missing);
    }

    /// <summary>Nullable integer labels: null is missing.</summary>
    public static LabelCodes FromNullableInts(IReadOnlyList<int?> labels)
    {
        var values = new int[labels.Count];
        var present = new bool[labels.Count];
        for (int i = 0; i < values.Length; i++)
            if (labels[i] is int v) { values[i] = v; present[i] = true; }
        return FromInts(values, present);
    }

    /// <summary>String labels: null or empty is missing.</summary>
    public static LabelCodes FromStrings(IReadOnlyList<string?> labels)
    {
        int n = labels.Count;
        var codes = new int[n];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int missing = 0;
        for (int i = 0; i < n; i++)
        {
            var s = labels[i];
            if (string.IsNullOrEmpty(s)) { missing++; continue; }
            seen.TryAdd(s, 0);
        }
        var sorted = seen.Keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        for (int k = 0; k < sorted.Length; k++) seen[sorted[k]] = k;
        for (int i = 0; i < n; i++)
        {
            var s = labels[i];
            codes[i] = string.IsNullOrEmpty(s) ? -1 : seen[s];
        }
        return new LabelCodes(codes, sorted, missing);
    }

    private static int[] Fill(int[] a, int v)
    {
        Array.Fill(a, v);
        return a;
    }
}
