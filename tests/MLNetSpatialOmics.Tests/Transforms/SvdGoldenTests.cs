using System.Text.Json;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Tests.Transforms.PreprocessFixtures;

namespace MLNetSpatialOmics.Tests.Transforms;

/// <summary>LSI (preprocess_lsi.json) and PCA (pca.json) against scipy/LAPACK and sklearn.</summary>
[TestClass]
public sealed class SvdGoldenTests
{
    /// <summary>abs 1e-8 for |U|/|scores|/|components|, 1e-6 for components whose relative gap is below 1e-2.</summary>
    private static double VectorTolerance(double[] gaps, int component)
    {
        double g = component < gaps.Length ? gaps[component] : double.PositiveInfinity;
        if (component > 0 && component - 1 < gaps.Length) g = Math.Min(g, gaps[component - 1]);
        return g < 1e-2 ? 1e-6 : 1e-8;
    }

    private static (FeatureMatrix Counts, JsonElement Case) LsiCase(string name)
    {
        var lsi = Json("preprocess_lsi.json");
        if (name == "small_case")
        {
            var c = lsi.GetProperty("small_case");
            return (Dense(Matrix(c.GetProperty("input_counts"))), c);
        }
        return (Sparse(Counts("triplet_ATAC")), lsi.GetProperty("triplet_ATAC"));
    }

    [TestMethod]
    [DataRow("small_case", "spatialglue_lsi")]
    [DataRow("small_case", "textbook_formula_no_second_l1")]
    [DataRow("triplet_ATAC", "spatialglue_lsi")]
    [DataRow("triplet_ATAC", "textbook_formula_no_second_l1")]
    public void LsiMatchesGolden(string caseName, string variant)
    {
        var (counts, c) = LsiCase(caseName);
        var g = c.GetProperty(variant);
        bool secondL1 = variant == "spatialglue_lsi";
        var idf = TfIdfKernel.FitIdf(counts);
        var normalised = TfIdfKernel.Apply(counts, idf, secondL1).ToDense();
        AssertMatchesSummary(g.GetProperty("normalised_matrix_summary"), normalised, $"{caseName} {variant} normalised");
        if (g.TryGetProperty("normalised_matrix", out var full))
        {
            var e = Matrix(full);
            for (int i = 0; i < e.Rows; i++) for (int j = 0; j < e.Cols; j++) AssertClose(e[i, j], normalised[i, j], $"normalised[{i},{j}]");
        }

        var sv = Doubles(g.GetProperty("singular_values_exact"));
        var gaps = Doubles(g.GetProperty("relative_gap_to_next_singular_value"));
        var model = LsiModel.Fit(counts, sv.Length, LsiOutput.PragaStandardisedU, secondL1, solver: SvdSolver.Exact);
        for (int k = 0; k < sv.Length; k++) AssertClose(sv[k], model.SingularValues[k], $"singular value {k}", 1e-10, 0);

        var u = model.ProjectU(counts);
        var absU = Matrix(g.GetProperty("abs_U_first5_rows"));
        var flipU = Matrix(g.GetProperty("U_first5_rows_svd_flip"));
        for (int i = 0; i < absU.Rows; i++)
            for (int k = 0; k < absU.Cols; k++)
            {
                double tol = VectorTolerance(gaps, k);
                AssertClose(absU[i, k], Math.Abs(u[i, k]), $"|U|[{i},{k}]", 0, tol);
                AssertClose(flipU[i, k], u[i, k], $"U svd_flip [{i},{k}]", 0, tol);
            }

        int kPost = g.GetProperty("k_post").GetInt32();
        // X_lsi uses the first k_post columns of U; U's leading columns do not depend on how many were computed.
        var firstU = new DenseMatrix(u.Rows, kPost);
        for (int i = 0; i < u.Rows; i++) u.RowReadOnly(i)[..kPost].CopyTo(firstU.Row(i));
        var xlsi = LsiModel.StandardiseRowsDropFirst(firstU);
        var expected = Matrix(g.GetProperty("X_lsi_first5_rows"));
        double postTol = Enumerable.Range(0, kPost).Max(k => VectorTolerance(gaps, k));
        Assert.AreEqual(expected.Cols, xlsi.Cols);
        for (int i = 0; i < expected.Rows; i++)
            for (int k = 0; k < expected.Cols; k++) AssertClose(expected[i, k], xlsi[i, k], $"X_lsi[{i},{k}]", 0, postTol * 10);
    }

    [TestMethod]
    public void LsiRandomizedAgreesWithExactOnWellSeparatedComponents()
    {
        var (counts, c) = LsiCase("triplet_ATAC");
        var g = c.GetProperty("spatialglue_lsi");
        var sv = Doubles(g.GetProperty("singular_values_exact"));
        var model = LsiModel.Fit(counts, 6, solver: SvdSolver.Randomized, seed: 3, powerIterations: 12);
        for (int k = 0; k < 6; k++) AssertClose(sv[k], model.SingularValues[k], $"randomized σ{k}", 1e-8, 0);
    }

    [TestMethod]
    [DataRow("triplet_RNA_lognorm", "ddof1_noclip")]
    [DataRow("triplet_RNA_lognorm", "ddof0_clip10")]
    [DataRow("triplet_ADT_clr", "ddof1_noclip")]
    [DataRow("triplet_ADT_clr", "ddof0_clip10")]
    [DataRow("hln_ADT_clr", "ddof1_noclip")]
    [DataRow("hln_ADT_clr", "ddof0_clip10")]
    public void PcaMatchesSklearn(string dataset, string variant)
    {
        var g = Json("pca.json").GetProperty("datasets").GetProperty(dataset).GetProperty(variant);
        var input = Dense(KernelGoldenTests.ScaleInput(dataset));
        int ddof = variant.StartsWith("ddof1", StringComparison.Ordinal) ? 1 : 0;
        var (mean, sd) = ScaleKernel.Fit(input, ddof);
        var scaled = new FeatureMatrix(ScaleKernel.Apply(input, mean, sd, ddof == 1 ? ScaleClipMode.None : ScaleClipMode.Symmetric, 10));
        var pca = PcaModel.Fit(scaled, 10, SvdSolver.Exact);
        CheckPca(g, pca, pca.Transform(scaled), dataset);
    }

    /// <summary>PCA with implicit standardisation on the (sparse) log-normalised / CLR data = Scale then PCA.</summary>
    [TestMethod]
    [DataRow("hln_ADT_clr", SvdSolver.Exact)]
    [DataRow("hln_ADT_clr", SvdSolver.Randomized)]
    public void PcaWithImplicitStandardisationMatchesSklearnOnScaledData(string dataset, SvdSolver solver)
    {
        var g = Json("pca.json").GetProperty("datasets").GetProperty(dataset).GetProperty("ddof1_noclip");
        var input = Sparse(KernelGoldenTests.ScaleInput(dataset));
        var pca = PcaModel.Fit(input, 10, solver, seed: 1, powerIterations: 40, standardizeDdof: 1);
        CheckPca(g, pca, pca.Transform(input), $"{dataset} standardised {solver}", checkMean: false);
    }

    [TestMethod]
    public void PcaRandomizedMatchesSklearnOnHln()
    {
        var g = Json("pca.json").GetProperty("datasets").GetProperty("hln_ADT_clr").GetProperty("ddof1_noclip");
        var input = Dense(KernelGoldenTests.ScaleInput("hln_ADT_clr"));
        var (mean, sd) = ScaleKernel.Fit(input, 1);
        var scaled = new FeatureMatrix(ScaleKernel.Apply(input, mean, sd));
        // With enough power iterations the randomized solver converges to the exact leading subspace.
        var pca = PcaModel.Fit(scaled, 10, SvdSolver.Randomized, seed: 1, powerIterations: 40);
        CheckPca(g, pca, pca.Transform(scaled), "hln randomized");
    }

    private static void CheckPca(JsonElement g, PcaModel pca, DenseMatrix scores, string what, bool checkMean = true)
    {
        var ev = Doubles(g.GetProperty("explained_variance_"));
        var evr = Doubles(g.GetProperty("explained_variance_ratio_"));
        var sv = Doubles(g.GetProperty("singular_values_"));
        var gaps = Doubles(g.GetProperty("relative_gap_to_next_eigenvalue"));
        AssertClose(g.GetProperty("total_variance").GetDouble(), pca.TotalVariance, what + " total variance", 1e-10, 0);
        for (int k = 0; k < 10; k++)
        {
            AssertClose(ev[k], pca.ExplainedVariance[k], $"{what} explained_variance_[{k}]", 1e-10, 0);
            AssertClose(evr[k], pca.ExplainedVarianceRatio[k], $"{what} ratio[{k}]", 1e-10, 0);
            AssertClose(sv[k], pca.SingularValues[k], $"{what} σ[{k}]", 1e-10, 0);
        }
        // mean_ is the mean of the scaled input (≈ 0); with implicit standardisation the model keeps the raw means instead.
        var mean = Doubles(g.GetProperty("mean_"));
        if (checkMean)
            for (int j = 0; j < mean.Length; j++) AssertClose(mean[j], pca.Mean[j], $"{what} mean[{j}]", 1e-10, 1e-12);
        var abs = Matrix(g.GetProperty("abs_scores_first5_rows"));
        var signed = Matrix(g.GetProperty("scores_first5_rows_sklearn_1_2_1_signs"));
        for (int i = 0; i < 5; i++)
            for (int k = 0; k < 10; k++)
            {
                double tol = VectorTolerance(gaps, k);
                AssertClose(abs[i, k], Math.Abs(scores[i, k]), $"{what} |score|[{i},{k}]", 0, tol);
                AssertClose(signed[i, k], scores[i, k], $"{what} signed score[{i},{k}]", 0, tol);
            }
        var comps = Matrix(g.GetProperty("abs_components_"));
        for (int k = 0; k < comps.Rows; k++)
            for (int j = 0; j < comps.Cols; j++)
                AssertClose(comps[k, j], Math.Abs(pca.Components[k, j]), $"{what} |component|[{k},{j}]", 0, VectorTolerance(gaps, k));
        var ss = Doubles(g.GetProperty("scores_column_sums_of_squares"));
        for (int k = 0; k < 10; k++)
        {
            double s = 0;
            for (int i = 0; i < scores.Rows; i++) s += scores[i, k] * scores[i, k];
            AssertClose(ss[k], s, $"{what} Σscore²[{k}]", 1e-10, 0);
        }
    }
}
