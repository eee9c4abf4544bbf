using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Tests.Transforms.PreprocessFixtures;

namespace MLNetSpatialOmics.Tests.Transforms;

/// <summary>The ML.NET estimators/transformers: goldens through a pipeline, saved state, feature matching by name.</summary>
[TestClass]
public sealed class TransformPipelineTests
{
    internal static IDataView View(string column, DenseMatrix m, string[]? names, bool sparse) =>
        new InMemoryDataView(new[] { sparse ? SparseVectorColumn.FromCsr(column, CsrMatrix.FromDense(m), names) : InMemoryColumn.Vector(column, m, names) });

    internal static DenseMatrix Read(IDataView view, string column) => DataViewReader.ReadVectorColumn(view, column);

    internal static T RoundTrip<T>(T transformer, MLContext context, Func<MLContext, ModelStateReader, T> load) where T : IPersistableTransformer
    {
        var writer = new ModelStateWriter();
        transformer.SaveState(writer);
        return load(context, ModelStateReader.FromBytes(writer.ToBytes()));
    }

    [TestMethod]
    public void HlnAdtPipelineMatchesSklearnScoresAndSurvivesStateRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var view = View("ADT", Counts("hln_ADT"), FeatureNames("hln_ADT"), sparse: true);
        var pipeline = ml.Transforms.Clr("ADT_clr", "ADT")
            .Append(ml.Transforms.Scale("ADT_scaled", "ADT_clr"))
            .Append(ml.Transforms.Pca("ADT_pca", "ADT_scaled", components: 10));
        var model = pipeline.Fit(view);
        var scores = Read(model.Transform(view), "ADT_pca");
        var g = Json("pca.json").GetProperty("datasets").GetProperty("hln_ADT_clr").GetProperty("ddof1_noclip");
        var expected = Matrix(g.GetProperty("scores_first5_rows_sklearn_1_2_1_signs"));
        // Output vectors are float: compare at float resolution.
        for (int i = 0; i < 5; i++)
            for (int k = 0; k < 10; k++) AssertClose(expected[i, k], scores[i, k], $"score[{i},{k}]", 2e-6, 2e-6);
        Assert.AreEqual(10, ((VectorDataViewType)model.Transform(view).Schema["ADT_pca"].Type).Size);

        var pca = model.LastTransformer;
        var reloaded = RoundTrip(pca, new MLContext(), PcaTransformer.LoadState);
        var clr = RoundTrip(model.ElementAt(0) as ClrTransformer ?? throw new AssertFailedException("first step is not CLR"), new MLContext(), ClrTransformer.LoadState);
        var scale = RoundTrip((ScaleTransformer)model.ElementAt(1), new MLContext(), ScaleTransformer.LoadState);
        var again = Read(reloaded.Transform(scale.Transform(clr.Transform(view))), "ADT_pca");
        CollectionAssert.AreEqual(scores.Data, again.Data);
    }

    [TestMethod]
    public void LsiThroughCatalogMatchesGoldenAndSurvivesStateRoundTrip()
    {
        // The small LSI case keeps this fast; the triplet ATAC values are checked on the kernels in SvdGoldenTests.
        var ml = new MLContext(seed: 1);
        var c = Json("preprocess_lsi.json").GetProperty("small_case");
        var view = View("ATAC", Matrix(c.GetProperty("input_counts")), null, sparse: true);
        var t = ml.Transforms.TfIdfLsi("ATAC_lsi", "ATAC", components: 4).Fit(view);
        var lsi = Read(t.Transform(view), "ATAC_lsi");
        var expected = Matrix(c.GetProperty("spatialglue_lsi").GetProperty("X_lsi_first5_rows"));
        Assert.AreEqual(expected.Cols, lsi.Cols);
        for (int i = 0; i < 5; i++)
            for (int k = 0; k < expected.Cols; k++) AssertClose(expected[i, k], lsi[i, k], $"X_lsi[{i},{k}]", 2e-7, 2e-7);
        var reloaded = RoundTrip(t, ml, TfIdfLsiTransformer.LoadState);
        CollectionAssert.AreEqual(lsi.Data, Read(reloaded.Transform(view), "ATAC_lsi").Data);
    }

    [TestMethod]
    public void SparseCountsStaySparseThroughNormalizeTotalAndLog1p()
    {
        var ml = new MLContext();
        var counts = Counts("triplet_RNA");
        var view = View("RNA", counts, FeatureNames("triplet_RNA"), sparse: true);
        var model = ml.Transforms.NormalizeTotal("RNA_norm", "RNA").Append(ml.Transforms.Log1p("RNA_log", "RNA_norm")).Fit(view);
        var output = model.Transform(view);
        var col = output.Schema["RNA_log"];
        using var cursor = output.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var buf = default(VBuffer<float>);
        Assert.IsTrue(cursor.MoveNext());
        getter(ref buf);
        Assert.IsFalse(buf.IsDense, "log-normalised sparse counts should stay sparse");
        CollectionAssert.AreEqual(FeatureNames("triplet_RNA"), DataViewReader.ReadSlotNames(output, "RNA_log"));
        var expected = Json("preprocess_lognorm.json").GetProperty("datasets").GetProperty("triplet_RNA").GetProperty("output_summary").GetProperty("head_rows");
        var y = Read(output, "RNA_log");
        var row0 = Doubles(expected[0]);
        for (int j = 0; j < row0.Length; j++) AssertClose(row0[j], y[0, j], $"lognorm[0,{j}]", 1e-7, 1e-7);
    }

    /// <summary>Section B holds section A's genes in another order, minus a few, plus some A never had.</summary>
    [TestMethod]
    public void NewSectionWithDifferentGeneOrderIsMatchedByName()
    {
        var ml = new MLContext();
        var full = KernelGoldenTests.ScaleInput("triplet_RNA_lognorm");
        var a = new DenseMatrix(full.Rows, 200);   // 200 genes keep the test fast
        for (int i = 0; i < a.Rows; i++) full.RowReadOnly(i)[..200].CopyTo(a.Row(i));
        var names = Enumerable.Range(0, a.Cols).Select(j => "g" + j).ToArray();
        var viewA = View("RNA", a, names, sparse: false);
        var model = ml.Transforms.Scale("Z", "RNA").Append(ml.Transforms.Pca("PC", "Z", components: 5, solver: SvdSolver.Exact)).Fit(viewA);
        var expected = Read(model.Transform(viewA), "PC");

        var rng = new Random(5);
        var perm = Enumerable.Range(0, a.Cols).OrderBy(_ => rng.Next()).ToArray();
        var permuted = new DenseMatrix(a.Rows, a.Cols);
        for (int i = 0; i < a.Rows; i++) for (int j = 0; j < a.Cols; j++) permuted[i, j] = a[i, perm[j]];
        var viewB = View("RNA", permuted, perm.Select(j => names[j]).ToArray(), sparse: true);
        var warnings = new List<string>();
        foreach (var t in model) ((SectionColumnTransformer)(object)t).OnWarning = warnings.Add;
        var actual = Read(model.Transform(viewB), "PC");
        Assert.AreEqual(0, warnings.Count, string.Join("\n", warnings));
        for (int i = 0; i < expected.Rows; i++)
            for (int k = 0; k < expected.Cols; k++) Assert.AreEqual(expected[i, k], actual[i, k], 1e-4, $"PC[{i},{k}]");

        // Drop 7 genes and add 3 unknown ones: the 7 are zero-filled with one warning per fitted step that matches by name.
        var keep = Enumerable.Range(0, a.Cols).Where(j => perm[j] >= 7).ToArray();
        var reduced = new DenseMatrix(a.Rows, keep.Length + 3);
        for (int i = 0; i < a.Rows; i++) for (int k = 0; k < keep.Length; k++) reduced[i, k] = permuted[i, keep[k]];
        var reducedNames = keep.Select(j => names[perm[j]]).Concat(new[] { "new1", "new2", "new3" }).ToArray();
        var scaleOnly = (ScaleTransformer)(object)model.ElementAt(0);
        var z = Read(scaleOnly.Transform(View("RNA", reduced, reducedNames, sparse: false)), "Z");
        Assert.AreEqual(a.Cols, z.Cols);
        StringAssert.Contains(warnings.Last(), "7 of 200 fitted features are missing");
        var means = scaleOnly.Mean; var sds = scaleOnly.Sd;
        for (int g = 0; g < 7; g++)   // missing gene g: input 0 → (0 − mean)/sd
            Assert.AreEqual((0 - means[g]) / sds[g], z[3, g], 1e-5);

        var disjoint = View("RNA", reduced, reducedNames.Select(n => "other_" + n).ToArray(), sparse: false);
        var e = Assert.ThrowsExactly<ArgumentException>(() => scaleOnly.Transform(disjoint));
        StringAssert.Contains(e.Message, "none of the 200 features");
    }

    [TestMethod]
    public void EstimatorOutputSchemaAddsTheColumnAndRejectsMissingInput()
    {
        var ml = new MLContext();
        var view = View("ADT", Counts("hln_ADT"), FeatureNames("hln_ADT"), sparse: false);
        var shape = ml.Transforms.Pca("P", "ADT", 5).GetOutputSchema(SchemaShapeFactory.FromSchema(view.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "P" && c.ItemType == NumberDataViewType.Single));
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Clr("X", "Nope").GetOutputSchema(SchemaShapeFactory.FromSchema(view.Schema)));
        StringAssert.Contains(e.Message, "'Nope'");
        var fitted = ml.Transforms.Pca("P", "ADT", 5).Fit(view);
        var schema = fitted.GetOutputSchema(view.Schema);
        Assert.AreEqual(5, ((VectorDataViewType)schema["P"].Type).Size);
        CollectionAssert.AreEqual(new[] { "PC1", "PC2", "PC3", "PC4", "PC5" }, DataViewReader.ReadSlotNames(schema["P"]));
    }
}
