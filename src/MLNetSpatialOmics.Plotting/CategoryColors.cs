using System.Globalization;
using ScottPlot;

namespace MLNetSpatialOmics.Plotting;

/// <summary>Categories of a label vector (in a stable order) and the colour of each.</summary>
internal sealed class LabelCategories
{
    private static readonly string[] Palette =
    {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79",
        "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#fd8d3c", "#74c476",
    };
    private static readonly Color UnknownColor = Color.FromHex("#c8c8c8");
    internal const string UnknownName = "unknown";

    /// <summary>Category names in legend order (integers numerically, other labels ordinally, "unknown" last).</summary>
    public string[] Names { get; }
    /// <summary>Category index of each point.</summary>
    public int[] IndexOfPoint { get; }
    public int[] Counts { get; }
    /// <summary>Palette slot of each category (-1 = the grey of unknown labels).</summary>
    public int[] ColorSlot { get; }

    private LabelCategories(string[] names, int[] index, int[] counts, int[] slots)
    {
        Names = names;
        IndexOfPoint = index;
        Counts = counts;
        ColorSlot = slots;
    }

    public static LabelCategories From(IReadOnlyList<string?> labels)
    {
        var distinct = labels.Select(Normalize).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = distinct.Where(l => l != UnknownName).All(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        var known = distinct.Where(l => l != UnknownName);
        var ordered = (numeric
            ? known.OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture))
            : known.OrderBy(l => l, StringComparer.Ordinal)).ToList();
        if (distinct.Contains(UnknownName)) ordered.Add(UnknownName);
        var names = ordered.ToArray();
        var lookup = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i, StringComparer.Ordinal);
        var index = new int[labels.Count];
        var counts = new int[names.Length];
        for (int i = 0; i < index.Length; i++) counts[index[i] = lookup[Normalize(labels[i])]]++;
        var slots = new int[names.Length];
        int next = 0;
        for (int c = 0; c < names.Length; c++) slots[c] = names[c] == UnknownName ? -1 : next++;
        return new LabelCategories(names, index, counts, slots);
    }

    private static string Normalize(string? label) => string.IsNullOrWhiteSpace(label) ? UnknownName : label.Trim();

    /// <summary>
    /// Recolours these (predicted) categories so that each takes the colour of the reference (truth) category it overlaps
    /// most — greedy on the contingency table, largest overlap first — making side-by-side panels comparable at a glance.
    /// </summary>
    public void MatchColorsTo(LabelCategories reference)
    {
        var overlap = new Dictionary<(int, int), int>();
        for (int i = 0; i < IndexOfPoint.Length; i++)
        {
            var key = (IndexOfPoint[i], reference.IndexOfPoint[i]);
            overlap[key] = overlap.GetValueOrDefault(key) + 1;
        }
        var assigned = Enumerable.Repeat(int.MinValue, Names.Length).ToArray();
        var usedSlots = new HashSet<int>();
        foreach (var ((p, t), _) in overlap.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2))
        {
            int slot = reference.ColorSlot[t];
            if (assigned[p] != int.MinValue || slot < 0 || Names[p] == UnknownName || !usedSlots.Add(slot)) continue;
            assigned[p] = slot;
        }
        int free = 0;
        for (int c = 0; c < Names.Length; c++)
        {
            if (Names[c] == UnknownName) { ColorSlot[c] = -1; continue; }
            if (assigned[c] != int.MinValue) { ColorSlot[c] = assigned[c]; continue; }
            while (usedSlots.Contains(free)) free++;
            ColorSlot[c] = free;
            usedSlots.Add(free);
        }
    }

    public Color ColorOf(int category) => SlotColor(ColorSlot[category]);

    internal static Color SlotColor(int slot)
    {
        if (slot < 0) return UnknownColor;
        if (slot < Palette.Length) return Color.FromHex(Palette[slot]);
        // Beyond the palette: hues spaced by the golden angle stay distinguishable for many categories.
        double hue = (slot - Palette.Length) * 137.50776405 % 360;
        return FromHsv(hue, 0.65, 0.8);
    }

    private static Color FromHsv(double h, double s, double v)
    {
        double c = v * s, x = c * (1 - Math.Abs(h / 60 % 2 - 1)), m = v - c;
        (double r, double g, double b) = h switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new Color((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }
}
