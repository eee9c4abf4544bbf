namespace MLNetSpatialOmics.Plotting;

/// <summary>Argument checks shared by the plots: every message names the argument and what was expected.</summary>
internal static class PlotInput
{
    public static void Coordinates(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0) throw new ArgumentException("there are no spots to plot (x is empty).", nameof(x));
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values but y has {y.Count}; both need one value per spot.", nameof(y));
        for (int i = 0; i < x.Count; i++)
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"spot {i} has a non-finite coordinate ({x[i]}, {y[i]}).", nameof(x));
    }

    public static void Labels(IReadOnlyList<string?>? labels, int expected, string name, string against)
    {
        if (labels is null) throw new ArgumentNullException(name);
        if (labels.Count != expected)
            throw new ArgumentException($"{name} has {labels.Count} labels but there are {expected} {against}; give one label per spot.", name);
    }

    public static string[] ToStrings(IReadOnlyList<int> labels) =>
        labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
