using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Tests.Transforms;

/// <summary>Loads the golden JSON files and the count matrices they were computed from (cached per test run).</summary>
internal static class PreprocessFixtures
{
    private static readonly Dictionary<string, object> Cache = new();
    private static readonly object Lock = new();

    private static T Cached<T>(string key, Func<T> make) where T : class
    {
        lock (Lock)
        {
            if (Cache.TryGetValue(key, out var v)) return (T)v;
            var made = make();
            Cache[key] = made;
            return made;
        }
    }

    public static JsonElement Json(string name) =>
        Cached("json:" + name, () => JsonDocument.Parse(File.ReadAllText(SharedData.Fixture(name)))).RootElement;

    /// <summary>triplet_RNA / triplet_ADT / triplet_ATAC / hln_ADT counts.</summary>
    public static DenseMatrix Counts(string dataset) => Cached("counts:" + dataset, () => dataset switch
    {
        "triplet_RNA" => ReadCsv(SharedData.DataFile("simulation_spatialglue_triplet/derived_RNA_counts.csv.gz"), 1, out _),
        "triplet_ADT" => ReadCsv(SharedData.DataFile("simulation_spatialglue_triplet/derived_ADT_counts.csv.gz"), 1, out _),
        "triplet_ATAC" => ReadCsv(SharedData.DataFile("simulation_spatialglue_triplet/derived_ATAC_counts.csv.gz"), 1, out _),
        "hln_ADT" => ReadCsv(SharedData.DataFile("hln_a1/derived_adt_counts.csv"), 3, out _),
        _ => throw new ArgumentException(dataset),
    });

    public static string[] FeatureNames(string dataset)
    {
        Counts(dataset);
        return Cached("names:" + dataset, () => dataset switch
        {
            "hln_ADT" => HeaderNames(SharedData.DataFile("hln_a1/derived_adt_counts.csv"), 3),
            "triplet_RNA" => HeaderNames(SharedData.DataFile("simulation_spatialglue_triplet/derived_RNA_counts.csv.gz"), 1),
            _ => throw new ArgumentException(dataset),
        });
    }

    private static TextReader Open(string path) =>
        path.EndsWith(".gz", StringComparison.Ordinal)
            ? new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
            : new StreamReader(path);

    private static string[] HeaderNames(string path, int skip)
    {
        using var r = Open(path);
        return r.ReadLine()!.Split(',')[skip..];
    }

    private static DenseMatrix ReadCsv(string path, int skipColumns, out string[] header)
    {
        using var r = Open(path);
        header = r.ReadLine()!.Split(',');
        var rows = new List<double[]>();
        string? line;
        while ((line = r.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            var row = new double[parts.Length - skipColumns];
            for (int j = 0; j < row.Length; j++) row[j] = double.Parse(parts[j + skipColumns], CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return DenseMatrix.FromRows(rows);
    }

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
    public static DenseMatrix Matrix(JsonElement e) => DenseMatrix.FromRows(e.EnumerateArray().Select(Doubles).ToList());

    /// <summary>Element-wise: rel 1e-12 or abs 1e-12 near 0 (the fixtures' README tolerance for lognorm/CLR/scale values).</summary>
    public static void AssertClose(double expected, double actual, string what, double rel = 1e-12, double abs = 1e-12)
    {
        double tol = Math.Max(abs, rel * Math.Abs(expected));
        if (!(Math.Abs(expected - actual) <= tol))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E3} > {tol:E3}).");
    }

    /// <summary>Compares a full matrix against a fixture <c>matrix_summary</c>.</summary>
    public static void AssertMatchesSummary(JsonElement summary, DenseMatrix m, string what, double elementRel = 1e-12, double elementAbs = 1e-12)
    {
        var shape = Ints(summary.GetProperty("shape"));
        Assert.AreEqual(shape[0], m.Rows, what + " rows");
        Assert.AreEqual(shape[1], m.Cols, what + " cols");
        var head = summary.GetProperty("head_rows").EnumerateArray().ToArray();
        for (int i = 0; i < head.Length; i++)
        {
            var row = Doubles(head[i]);
            for (int j = 0; j < row.Length; j++) AssertClose(row[j], m[i, j], $"{what} head[{i},{j}]", elementRel, elementAbs);
        }
        var sc = summary.GetProperty("spot_checks");
        var si = Ints(sc.GetProperty("i")); var sj = Ints(sc.GetProperty("j")); var sv = Doubles(sc.GetProperty("value"));
        for (int k = 0; k < si.Length; k++) AssertClose(sv[k], m[si[k], sj[k]], $"{what} spot check [{si[k]},{sj[k]}]", elementRel, elementAbs);

        var colSums = new double[m.Cols]; var colSq = new double[m.Cols]; var rowSums = new double[m.Rows];
        double frob = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Cols; j++)
            {
                double v = m[i, j];
                colSums[j] += v; colSq[j] += v * v; rowSums[i] += v; frob += v * v;
                min = Math.Min(min, v); max = Math.Max(max, v);
            }
        // The total of a centred matrix is ~0, so it is summed with Neumaier compensation (numpy sums pairwise).
        double total = 0, comp = 0;
        foreach (var v in m.Data)
        {
            double t = total + v;
            comp += Math.Abs(total) >= Math.Abs(v) ? (total - t) + v : (v - t) + total;
            total = t;
        }
        total += comp;
        // Sums: rel 1e-10, abs 1e-9 where the sum is ~0 (centred data).
        var eColSums = Doubles(summary.GetProperty("col_sums"));
        var eColSq = Doubles(summary.GetProperty("col_sums_of_squares"));
        var eRowSums = Doubles(summary.GetProperty("row_sums"));
        for (int j = 0; j < m.Cols; j++)
        {
            AssertClose(eColSums[j], colSums[j], $"{what} col_sums[{j}]", 1e-10, 1e-9);
            AssertClose(eColSq[j], colSq[j], $"{what} col_sums_of_squares[{j}]", 1e-10, 1e-9);
        }
        for (int i = 0; i < m.Rows; i++) AssertClose(eRowSums[i], rowSums[i], $"{what} row_sums[{i}]", 1e-10, 1e-9);
        AssertClose(summary.GetProperty("total_sum").GetDouble(), total, what + " total_sum", 1e-10, 1e-9);
        AssertClose(summary.GetProperty("frobenius_norm").GetDouble(), Math.Sqrt(frob), what + " frobenius_norm", 1e-10, 1e-9);
        AssertClose(summary.GetProperty("min").GetDouble(), min, what + " min");
        AssertClose(summary.GetProperty("max").GetDouble(), max, what + " max");
    }

    public static FeatureMatrix Sparse(DenseMatrix m) => new(CsrMatrix.FromDense(m));
    public static FeatureMatrix Dense(DenseMatrix m) => new(m);
}
