using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Tests.Transforms;

/// <summary>Negative counts, NaN, all-zero spots and features, too many HVGs / components.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static IDataView View(double[,] values, bool sparse = false)
    {
        int r = values.GetLength(0), c = values.GetLength(1);
        var m = new DenseMatrix(r, c);
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) m[i, j] = values[i, j];
        var names = Enumerable.Range(0, c).Select(j => "f" + j).ToArray();
        return TransformPipelineTests.View("X", m, names, sparse);
    }

    private static readonly double[,] Counts =
    {
        { 0, 0, 0, 0 },      // all-zero spot
        { 1, 0, 3, 0 },      // column 3 is an all-zero feature
        { 2, 5, 0, 0 },
        { 4, 1, 1, 0 },
        { 0, 2, 7, 0 },
    };

    [TestMethod]
    public void NegativeCountsAreRejectedByLog1pClrNormalizeTotalAndLsi()
    {
        var ml = new MLContext();
        var bad = (double[,])Counts.Clone();
        bad[2, 1] = -1;
        foreach (var sparse in new[] { false, true })
        {
            var view = View(bad, sparse);
            foreach (var est in new IEstimator<ITransformer>[] { ml.Transforms.Log1p("Y", "X"), ml.Transforms.Clr("Y", "X"), ml.Transforms.NormalizeTotal("Y", "X") })
            {
                var e = Assert.ThrowsExactly<InvalidOperationException>(() => est.Fit(view).Transform(view));
                StringAssert.Contains(e.Message, "column 'X' has a negative value (-1) at spot row 2, feature 1");
            }
            var lsi = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.TfIdfLsi("Y", "X", components: 2).Fit(view));
            StringAssert.Contains(lsi.Message, "negative value");
        }
    }

    [TestMethod]
    public void NaNIsRejectedWithItsPosition()
    {
        var ml = new MLContext();
        var bad = (double[,])Counts.Clone();
        bad[3, 2] = double.NaN;
        var view = View(bad);
        foreach (var est in new IEstimator<ITransformer>[] { ml.Transforms.Scale("Y", "X"), ml.Transforms.Pca("Y", "X", 2), ml.Transforms.Log1p("Y", "X") })
        {
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => est.Fit(view).Transform(view));
            StringAssert.Contains(e.Message, "non-finite value (NaN) at spot row 3, feature 2");
        }
    }

    [TestMethod]
    public void AllZeroSpotStaysZeroAndAllZeroFeatureIsHarmless()
    {
        var ml = new MLContext();
        foreach (var sparse in new[] { false, true })
        {
            var view = View(Counts, sparse);
            var logn = TransformPipelineTests.Read(ml.Transforms.NormalizeTotal("N", "X").Append(ml.Transforms.Log1p("L", "N")).Fit(view).Transform(view), "L");
            var clr = TransformPipelineTests.Read(ml.Transforms.Clr("C", "X").Fit(view).Transform(view), "C");
            for (int j = 0; j < 4; j++) { Assert.AreEqual(0.0, logn[0, j]); Assert.AreEqual(0.0, clr[0, j]); }
            // All-zero feature: sd 0 → 1, so it scales to exactly 0; PCA and LSI still fit.
            var scaled = TransformPipelineTests.Read(ml.Transforms.Scale("Z", "X").Fit(view).Transform(view), "Z");
            for (int i = 0; i < 5; i++) Assert.AreEqual(0.0, scaled[i, 3]);
            var lsiModel = ml.Transforms.TfIdfLsi("S", "X", components: 2).Fit(view);
            Assert.AreEqual(0.0, lsiModel.Model.Idf[3], "an all-zero peak gets idf 0 instead of inf");
            var lsi = TransformPipelineTests.Read(lsiModel.Transform(view), "S");
            Assert.AreEqual(0.0, lsi[0, 0]); Assert.AreEqual(0.0, lsi[0, 1]);   // all-zero spot → U row 0 → standardised 0
            foreach (var v in lsi.Data) Assert.IsTrue(double.IsFinite(v));
        }
    }

    [TestMethod]
    public void TooManyComponentsIsAClearError()
    {
        var ml = new MLContext();
        var view = View(Counts);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Pca("Y", "X", components: 5).Fit(view));
        StringAssert.Contains(e.Message, "at most 4");
        var l = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.TfIdfLsi("Y", "X", components: 4).Fit(view));
        StringAssert.Contains(l.Message, "5 SVD components");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.Pca("Y", "X", components: 0));
    }

    [TestMethod]
    public void MoreHvgsThanFeaturesKeepsAllWithAWarning()
    {
        var ml = new MLContext();
        var view = View(Counts);
        foreach (var flavor in new[] { HvgFlavor.Seurat, HvgFlavor.SeuratV3 })
        {
            var warnings = new List<string>();
            var t = ml.Transforms.SelectHighlyVariableFeatures(new SelectHighlyVariableFeaturesOptions
            {
                InputColumnName = "X", OutputColumnName = "H", TopFeatureCount = 10, Flavor = flavor, OnWarning = warnings.Add,
            }).Fit(view);
            CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, t.SelectedIndices.ToArray());
            Assert.AreEqual(1, warnings.Count);
            StringAssert.Contains(warnings[0], "10 features were asked");
        }
    }

    [TestMethod]
    public void WrongColumnTypeAndMissingColumnAreNamed()
    {
        var ml = new MLContext();
        var view = new InMemoryDataView(new[] { InMemoryColumn.Single("X", new float[] { 1, 2 }) });
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Scale("Y", "X").Fit(view));
        StringAssert.Contains(e.Message, "column 'X' must be a fixed-size vector");
        var m = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Scale("Y", "RNA").Fit(view));
        StringAssert.Contains(m.Message, "no column 'RNA'");
    }
}
