using System.Globalization;

namespace MLNetSpatialOmics.IO;

/// <summary>What an obs/var column holds.</summary>
public enum AnnColumnKind
{
    /// <summary>Integers or floats, held as double (<see cref="AnnColumn.Numbers"/>; NaN = missing).</summary>
    Numeric,
    /// <summary>Free strings (<see cref="AnnColumn.Strings"/>).</summary>
    String,
    /// <summary>Booleans (<see cref="AnnColumn.Booleans"/>).</summary>
    Boolean,
    /// <summary>pandas categorical: <see cref="AnnColumn.Categories"/> plus one code per row (−1 = missing).</summary>
    Categorical,
}

/// <summary>One column of an AnnData <c>obs</c> or <c>var</c> data frame.</summary>
public sealed class AnnColumn
{
    public string Name { get; }
    public AnnColumnKind Kind { get; }
    public int Length { get; }
    public double[]? Numbers { get; }
    /// <summary>True when a numeric column was stored with an integer type.</summary>
    public bool IsIntegral { get; }
    public string?[]? Strings { get; }
    public bool[]? Booleans { get; }
    public string[]? Categories { get; }
    public int[]? Codes { get; }
    public bool Ordered { get; }

    private AnnColumn(string name, AnnColumnKind kind, int length, double[]? numbers = null, bool isIntegral = false,
        string?[]? strings = null, bool[]? booleans = null, string[]? categories = null, int[]? codes = null, bool ordered = false)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("column name must not be empty.", nameof(name));
        Name = name; Kind = kind; Length = length; Numbers = numbers; IsIntegral = isIntegral;
        Strings = strings; Booleans = booleans; Categories = categories; Codes = codes; Ordered = ordered;
    }

    public static AnnColumn Numeric(string name, double[] values, bool isIntegral = false) =>
        new(name, AnnColumnKind.Numeric, values.Length, numbers: values, isIntegral: isIntegral);

    public static AnnColumn Text(string name, string?[] values) =>
        new(name, AnnColumnKind.String, values.Length, strings: values);

    public static AnnColumn Boolean(string name, bool[] values) =>
        new(name, AnnColumnKind.Boolean, values.Length, booleans: values);

    /// <summary>A categorical column; codes index <paramref name="categories"/>, −1 marks a missing value.</summary>
    public static AnnColumn Categorical(string name, string[] categories, int[] codes, bool ordered = false)
    {
        foreach (var c in codes)
            if (c < -1 || c >= categories.Length)
                throw new ArgumentException($"categorical column '{name}': code {c} is outside -1..{categories.Length - 1}.");
        return new(name, AnnColumnKind.Categorical, codes.Length, categories: categories, codes: codes, ordered: ordered);
    }

    /// <summary>Categorical column from labels (categories in first-seen order; null = missing).</summary>
    public static AnnColumn CategoricalFromLabels(string name, IReadOnlyList<string?> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var cats = new List<string>();
        var codes = new int[labels.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            var l = labels[i];
            if (l is null) { codes[i] = -1; continue; }
            if (!index.TryGetValue(l, out int k)) { k = cats.Count; index.Add(l, k); cats.Add(l); }
            codes[i] = k;
        }
        return Categorical(name, cats.ToArray(), codes);
    }

    /// <summary>
    /// The column as text, one entry per row (null = missing): categories by name, integers without decimals,
    /// floats in round-trip form, booleans as <c>True</c>/<c>False</c> (pandas' spelling).
    /// </summary>
    public string?[] ToStrings()
    {
        var result = new string?[Length];
        for (int i = 0; i < Length; i++)
        {
            result[i] = Kind switch
            {
                AnnColumnKind.String => Strings![i],
                AnnColumnKind.Boolean => Booleans![i] ? "True" : "False",
                AnnColumnKind.Categorical => Codes![i] < 0 ? null : Categories![Codes[i]],
                _ => double.IsNaN(Numbers![i]) ? null : FormatNumber(Numbers[i]),
            };
        }
        return result;
    }

    internal static string FormatNumber(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15
            ? ((long)v).ToString(CultureInfo.InvariantCulture)
            : v.ToString("R", CultureInfo.InvariantCulture);
}
