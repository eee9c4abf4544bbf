using System.Text.Json;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Tests.Transforms.PreprocessFixtures;

namespace MLNetSpatialOmics.Tests.Transforms;

[TestClass]
public sealed class KernelGoldenTests
{
    private static DenseMatrix LogNorm(FeatureMatrix x) => CountKernels.Log1p(CountKernels.NormalizeTotal(x, 1e4)).ToDense();

    [TestMethod]
    public void LogNormSyntheticEdgeCaseMatchesGolden()
    {
        var g = Json("preprocess_lognorm.json").GetProperty("synthetic_edge_case");
        var input = Matrix(g.GetProperty("input"));
        var expected = Matrix(g.GetProperty("output"));
        foreach (var x in new[] { Dense(input), Sparse(input) })
        {
            var y = LogNorm(x);
            for (int i = 0; i < expected.Rows; i++)
                for (int j = 0; j < expected.Cols; j++) AssertClose(expected[i, j], y[i, j], $"lognorm edge [{i},{j}] sparse={x.IsSparse}");
        }
    }

    [TestMethod]
    [DataRow("triplet_RNA")]
    [DataRow("triplet_ADT")]
    [DataRow("triplet_ATAC")]
    [DataRow("hln_ADT")]
    public void LogNormDatasetsMatchGolden(string dataset)
    {
        var g = Json("preprocess_lognorm.json").GetProperty("datasets").GetProperty(dataset);
        var y = LogNorm(Sparse(Counts(dataset)));
        AssertMatchesSummary(g.GetProperty("output_summary"), y, "lognorm " + dataset);
        if (dataset == "hln_ADT")
            foreach (var spot in Ints(g.GetProperty("zero_count_spots")))
                for (int j = 0; j < y.Cols; j++) Assert.AreEqual(0.0, y[spot, j]);
    }

    [TestMethod]
    public void ClrSyntheticEdgeCaseMatchesGolden()
    {
        var g = Json("preprocess_clr.json").GetProperty("synthetic_edge_case");
        var input = Matrix(g.GetProperty("input"));
        var expected = Matrix(g.GetProperty("output"));
        var eg = Doubles(g.GetProperty("geometric_divisor_g"));
        foreach (var x in new[] { Dense(input), Sparse(input) })
        {
            var y = CountKernels.Clr(x, out var gd).ToDense();
            for (int i = 0; i < expected.Rows; i++)
            {
                AssertClose(eg[i], gd[i], $"g[{i}]");
                for (int j = 0; j < expected.Cols; j++) AssertClose(expected[i, j], y[i, j], $"clr edge [{i},{j}]");
            }
        }
    }

    [TestMethod]
    [DataRow("triplet_ADT")]
    [DataRow("hln_ADT")]
    public void ClrDatasetsMatchGolden(string dataset)
    {
        var g = Json("preprocess_clr.json").GetProperty("datasets").GetProperty(dataset);
        var y = CountKernels.Clr(Sparse(Counts(dataset)), out var gd).ToDense();
        AssertMatchesSummary(g.GetProperty("output_summary"), y, "clr " + dataset);
        var eg = Doubles(g.GetProperty("geometric_divisor_g_first20"));
        for (int i = 0; i < eg.Length; i++) AssertClose(eg[i], gd[i], $"g[{i}]");
    }

    private static readonly (string Name, int Ddof, ScaleClipMode Clip)[] Variants =
    {
        ("ddof1_noclip", 1, ScaleClipMode.None), ("ddof1_clip10", 1, ScaleClipMode.Symmetric), ("ddof1_clip10_upper_only", 1, ScaleClipMode.UpperOnly),
        ("ddof0_noclip", 0, ScaleClipMode.None), ("ddof0_clip10", 0, ScaleClipMode.Symmetric), ("ddof0_clip10_upper_only", 0, ScaleClipMode.UpperOnly),
    };

    [TestMethod]
    public void ScaleSyntheticEdgeCaseMatchesAllSixVariants()
    {
        var g = Json("preprocess_scale.json").GetProperty("synthetic_edge_case");
        var input = Matrix(g.GetProperty("input"));
        foreach (var (name, ddof, clip) in Variants)
        {
            var v = g.GetProperty("variants").GetProperty(name);
            var x = Dense(input);
            var (mean, sd) = ScaleKernel.Fit(x, ddof);
            var em = Doubles(v.GetProperty("mean")); var es = Doubles(v.GetProperty("sd_used"));
            for (int j = 0; j < em.Length; j++) { AssertClose(em[j], mean[j], $"{name} mean[{j}]"); AssertClose(es[j], sd[j], $"{name} sd[{j}]"); }
            var expected = Matrix(v.GetProperty("output"));
            foreach (var xin in new[] { x, Sparse(input) })
            {
                var y = ScaleKernel.Apply(xin, mean, sd, clip, 10);
                for (int i = 0; i < expected.Rows; i++)
                    for (int j = 0; j < expected.Cols; j++) AssertClose(expected[i, j], y[i, j], $"{name} [{i},{j}] sparse={xin.IsSparse}");
            }
        }
    }

    internal static DenseMatrix ScaleInput(string dataset) => dataset switch
    {
        "triplet_RNA_lognorm" => LogNorm(Sparse(Counts("triplet_RNA"))),
        "triplet_ADT_clr" => CountKernels.Clr(Sparse(Counts("triplet_ADT")), out _).ToDense(),
        "hln_ADT_clr" => CountKernels.Clr(Sparse(Counts("hln_ADT")), out _).ToDense(),
        _ => throw new ArgumentException(dataset),
    };

    [TestMethod]
    [DataRow("triplet_RNA_lognorm")]
    [DataRow("triplet_ADT_clr")]
    [DataRow("hln_ADT_clr")]
    public void ScaleDatasetsMatchGolden(string dataset)
    {
        var g = Json("preprocess_scale.json").GetProperty("datasets").GetProperty(dataset);
        var x = Dense(ScaleInput(dataset));
        var em = Doubles(g.GetProperty("feature_mean"));
        foreach (var ddof in new[] { 1, 0 })
        {
            var (mean, sd) = ScaleKernel.Fit(x, ddof);
            var es = Doubles(g.GetProperty($"feature_sd_ddof{ddof}"));
            for (int j = 0; j < em.Length; j++) { AssertClose(em[j], mean[j], $"mean[{j}]"); AssertClose(es[j] == 0 ? 1 : es[j], sd[j], $"sd ddof{ddof}[{j}]"); }
            var variant = ddof == 1 ? "ddof1_noclip" : "ddof0_clip10";
            var clip = ddof == 1 ? ScaleClipMode.None : ScaleClipMode.Symmetric;
            var y = ScaleKernel.Apply(x, mean, sd, clip, 10);
            AssertMatchesSummary(g.GetProperty("variants").GetProperty(variant), y, $"scale {dataset} {variant}");
            int above = 0, below = 0;
            var yu = ScaleKernel.Apply(x, mean, sd, ScaleClipMode.None, 10);
            foreach (var v in yu.Data) { if (v > 10) above++; if (v < -10) below++; }
            Assert.AreEqual(g.GetProperty($"n_above_10_ddof{ddof}").GetInt32(), above);
            Assert.AreEqual(g.GetProperty($"n_below_minus_10_ddof{ddof}").GetInt32(), below);
        }
    }
}
