using System.Globalization;
using System.Text.Json;

namespace MLNetSpatialOmics.Tests.Graphs;

/// <summary>
/// HLN A1 inputs for the graph tests, read from <c>derived_adt_counts.csv</c> (a plain export of adata_ADT.h5ad:
/// obs_name, spatial_0, spatial_1, then the 31 ADT counts) so these tests do not depend on the h5ad reader.
/// </summary>
internal static class HlnGraphData
{
    private static readonly Lazy<(double[] X, double[] Y, double[][] Counts)> Data = new(Load);

    public static double[] X => Data.Value.X;
    public static double[] Y => Data.Value.Y;
    public static double[][] Counts => Data.Value.Counts;

    private static (double[], double[], double[][]) Load()
    {
        var path = SharedData.DataFile("hln_a1/derived_adt_counts.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        Assert.AreEqual("spatial_0", header[1]);
        Assert.AreEqual("spatial_1", header[2]);
        Assert.AreEqual(34, header.Length, "obs_name, 2 coordinates, 31 ADT columns");
        int n = lines.Length - 1;
        var x = new double[n];
        var y = new double[n];
        var counts = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var f = lines[i + 1].Split(',');
            x[i] = double.Parse(f[1], CultureInfo.InvariantCulture);
            y[i] = double.Parse(f[2], CultureInfo.InvariantCulture);
            counts[i] = new double[31];
            for (int j = 0; j < 31; j++) counts[i][j] = double.Parse(f[3 + j], CultureInfo.InvariantCulture);
        }
        return (x, y, counts);
    }

    /// <summary>
    /// SpatialGlue/PRAGA's per-spot CLR, written here from the fixture's definition (preprocess_clr.json):
    /// g = exp(Σ_{x_j&gt;0} log1p(x_j) / p) over all p features, y_j = log1p(x_j / g).
    /// </summary>
    public static double[][] Clr()
    {
        var result = new double[Counts.Length][];
        for (int i = 0; i < Counts.Length; i++)
        {
            var row = Counts[i];
            double s = 0;
            foreach (var v in row) if (v > 0) s += Math.Log(1 + v);
            double g = Math.Exp(s / row.Length);
            result[i] = row.Select(v => Math.Log(1 + v / g)).ToArray();
        }
        return result;
    }

    public static JsonElement Fixture(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Fixture(name)));
        return doc.RootElement.Clone();
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
