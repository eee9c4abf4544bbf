using System.Globalization;
using System.Text.Json;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Clustering;

/// <summary>Reads fixtures/gmm_eee.json and its two CSV inputs.</summary>
internal static class GmmFixture
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("gmm_eee.json"))));

    public static JsonElement Case(string name) => Doc.Value.RootElement.GetProperty("cases").GetProperty(name);

    public static DenseMatrix Input(string name, out int[] kmeansInit)
    {
        if (name == "toy")
        {
            var lines = File.ReadAllLines(SharedData.Fixture("gmm_toy_input.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
            var rows = lines.Select(l => l.Split(',')).ToArray();
            kmeansInit = rows.Select(f => int.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
            return DenseMatrix.FromRows(rows.Select(f => new[] { Parse(f[0]), Parse(f[1]) }).ToArray());
        }
        var hln = File.ReadAllLines(SharedData.Fixture("gmm_hln_pca10_input.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(Parse).ToArray()).ToArray();
        kmeansInit = Ints(Case(name).GetProperty("kmeans_init"));
        return DenseMatrix.FromRows(hln);
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    public static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Doubles).ToArray();

    public static void AssertRel(double expected, double actual, double rel, string what) =>
        Assert.IsTrue(Math.Abs(expected - actual) <= rel * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (rel {Math.Abs(expected - actual) / Math.Abs(expected):E2})");

    /// <summary>Compares proportions, means (G×d) and the shared Sigma of a fixture block.</summary>
    public static void AssertParameters(JsonElement block, IReadOnlyList<double> pro, Func<int, double[]> mean, DenseMatrix sigma,
        Func<double, double, bool> close, string what)
    {
        var ePro = Doubles(block.GetProperty("pro"));
        for (int k = 0; k < ePro.Length; k++) Assert.IsTrue(close(ePro[k], pro[k]), $"{what} pro[{k}]: {ePro[k]:R} vs {pro[k]:R}");
        var eMean = Matrix(block.GetProperty("mean_rows_components"));
        for (int k = 0; k < eMean.Length; k++)
        {
            var m = mean(k);
            for (int j = 0; j < m.Length; j++) Assert.IsTrue(close(eMean[k][j], m[j]), $"{what} mean[{k},{j}]: {eMean[k][j]:R} vs {m[j]:R}");
        }
        var eSigma = Matrix(block.GetProperty("Sigma"));
        for (int a = 0; a < eSigma.Length; a++)
            for (int b = 0; b < eSigma.Length; b++)
                Assert.IsTrue(close(eSigma[a][b], sigma[a, b]), $"{what} Sigma[{a},{b}]: {eSigma[a][b]:R} vs {sigma[a, b]:R}");
    }
}
