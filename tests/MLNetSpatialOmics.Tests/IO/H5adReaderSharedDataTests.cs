using MLNetSpatialOmics.IO;

namespace MLNetSpatialOmics.Tests.IO;

/// <summary>
/// Every .h5ad under ../shared/data loads with the right shapes and values. Where the data folder has a plain CSV
/// export (derived_*.csv, written by numpy/pandas), the whole matrix, coordinates and names are compared to it;
/// the three files without one are checked against values read with h5py.
/// </summary>
[TestClass]
public class H5adReaderSharedDataTests
{
    /// <summary>Compares X (or a layer), obs names, var names and (optionally) obsm/spatial with a derived CSV.</summary>
    private static void AssertMatchesCsv(AnnData ad, AnnMatrix m, CsvTable csv, bool hasSpatial, double tolerance = 0)
    {
        int first = hasSpatial ? 3 : 1;
        Assert.AreEqual(ad.ObsCount, csv.Rows.Count, "rows");
        Assert.AreEqual(ad.VarCount, csv.Header.Length - first, "feature columns");
        CollectionAssert.AreEqual(csv.Header.Skip(first).ToArray(), ad.VarNames, "var names");
        for (int i = 0; i < ad.ObsCount; i++)
        {
            Assert.AreEqual(csv.Rows[i][0], ad.ObsNames[i], $"obs name of row {i}");
            if (hasSpatial)
            {
                Assert.AreEqual(csv.Number(i, 1), ad.Obsm["spatial"][i, 0], $"spatial x row {i}");
                Assert.AreEqual(csv.Number(i, 2), ad.Obsm["spatial"][i, 1], $"spatial y row {i}");
            }
            for (int j = 0; j < ad.VarCount; j++)
            {
                double expected = csv.Number(i, first + j), actual = m.Get(i, j);
                if (Math.Abs(expected - actual) > tolerance * Math.Max(1, Math.Abs(expected)))
                    Assert.Fail($"value ({i},{j}): file {actual}, csv {expected}");
            }
        }
    }

    [TestMethod]
    public void LymphNodeAdtIsCsrFloat32AndMatchesItsCsvExport()
    {
        var ad = H5adReader.Read(SharedData.DataFile("hln_a1/adata_ADT.h5ad"));
        Assert.AreEqual(3484, ad.ObsCount);
        Assert.AreEqual(31, ad.VarCount);
        Assert.IsTrue(ad.X!.IsSparse);
        Assert.AreEqual("csr", ad.X.StorageFormat);
        Assert.AreEqual("float32", ad.X.ElementType);
        Assert.AreEqual(105474L, ad.X.Sparse!.NonZeroCount);
        ad.X.Sparse.Validate();
        AssertMatchesCsv(ad, ad.X, CsvTable.Load(SharedData.DataFile("hln_a1/derived_adt_counts.csv")), hasSpatial: true);
        Assert.AreEqual(2, ad.VarNames.Count(n => n == "PTPRC"), "the file really has PTPRC twice");
        CollectionAssert.AreEqual(new[] { "gene_ids", "feature_types", "genome" }, ad.Var.Keys.ToArray());
        Assert.AreEqual(AnnColumnKind.Categorical, ad.Var["feature_types"].Kind);
    }

    [TestMethod]
    public void SpaMosaicLymphNodeCopyHasTheSameMatrixAndItsLabelsJoinTheManualAnnotation()
    {
        var ad = H5adReader.Read(SharedData.DataFile("hln_a1/spamosaic_s1_adata_adt.h5ad"));
        var plain = H5adReader.Read(SharedData.DataFile("hln_a1/adata_ADT.h5ad"));
        Assert.AreEqual(plain.ObsCount, ad.ObsCount);
        CollectionAssert.AreEqual(plain.ObsNames.Select(n => "s1-" + n).ToArray(), ad.ObsNames);
        CollectionAssert.AreEqual(plain.X!.Sparse!.Values, ad.X!.Sparse!.Values);
        CollectionAssert.AreEqual(plain.X.Sparse.ColIndices, ad.X.Sparse.ColIndices);
        CollectionAssert.AreEqual(new[] { "lab", "lab_lynn", "src", "final_annot" }, ad.Obs.Keys.ToArray(), "column-order is kept");
        Assert.AreEqual(10, ad.Obs["lab_lynn"].Categories!.Length);
        Assert.AreEqual(11, ad.Obs["lab"].Categories!.Length);

        var labels = CsvTable.Load(SharedData.DataFile("hln_a1/derived_labels.csv"));
        var byBarcode = labels.Rows.ToDictionary(r => r[0], r => r);
        var lynn = ad.Obs["lab_lynn"].ToStrings();
        var final = ad.Obs["final_annot"].ToStrings();
        var lab = ad.Obs["lab"].ToStrings();
        for (int i = 0; i < ad.ObsCount; i++)
        {
            var row = byBarcode[ad.ObsNames[i]["s1-".Length..]];
            Assert.AreEqual(row[labels.Column("manual_anno")], lynn[i], $"spot {ad.ObsNames[i]}");
            Assert.AreEqual(row[labels.Column("spamosaic_final_annot")], final[i], $"spot {ad.ObsNames[i]}");
            Assert.AreEqual(row[labels.Column("spamosaic_lab")], lab[i], $"spot {ad.ObsNames[i]}");
        }
    }

    [TestMethod]
    public void SpleenAdtIsDenseAndMatchesItsCsvExport()
    {
        var ad = H5adReader.Read(SharedData.DataFile("mouse_spleen_spots/adata_ADT.h5ad"));
        Assert.AreEqual(2568, ad.ObsCount);
        Assert.AreEqual(21, ad.VarCount);
        Assert.IsFalse(ad.X!.IsSparse);
        Assert.AreEqual("float32", ad.X.ElementType);
        AssertMatchesCsv(ad, ad.X, CsvTable.Load(SharedData.DataFile("mouse_spleen_spots/derived_adt_counts.csv")), hasSpatial: true);
    }

    [TestMethod]
    public void LegacyThymusFileReadsCsrFloat64AndLegacyCategoricals()
    {
        var ad = H5adReader.Read(SharedData.DataFile("mouse_thymus_stereo_cite/adata_ADT.h5ad"));
        Assert.AreEqual(4697, ad.ObsCount);
        Assert.AreEqual(51, ad.VarCount);
        Assert.AreEqual("float64", ad.X!.ElementType);
        Assert.AreEqual(70786L, ad.X.Sparse!.NonZeroCount);
        AssertMatchesCsv(ad, ad.X, CsvTable.Load(SharedData.DataFile("mouse_thymus_stereo_cite/derived_adt_counts.csv")), hasSpatial: true);
        // obs/__categories/orig.ident = ['sample'] and obs/x[0] = 8917, obs/y[0] = 13284 (h5py); obs x/y are NOT obsm/spatial here.
        var orig = ad.Obs["orig.ident"];
        Assert.AreEqual(AnnColumnKind.Categorical, orig.Kind);
        CollectionAssert.AreEqual(new[] { "sample" }, orig.Categories);
        Assert.IsTrue(orig.Codes!.All(c => c == 0));
        Assert.IsFalse(ad.Obs.ContainsKey("__categories"));
        Assert.IsTrue(ad.Obs["x"].IsIntegral);
        Assert.AreEqual(8917.0, ad.Obs["x"].Numbers![0]);
        Assert.AreEqual(13284.0, ad.Obs["y"].Numbers![0]);
    }

    [TestMethod]
    public void SimulationTripletXAndCountsLayerMatchTheirCsvExports()
    {
        foreach (var (mod, vars) in new[] { ("RNA", 1000), ("ADT", 100), ("ATAC", 1000) })
        {
            var ad = H5adReader.Read(SharedData.DataFile($"simulation_spatialglue_triplet/adata_{mod}.h5ad"));
            Assert.AreEqual(1296, ad.ObsCount, mod);
            Assert.AreEqual(vars, ad.VarCount, mod);
            Assert.AreEqual("counts", ad.Layers.Keys.Single(), mod);
            var xCsv = CsvTable.Load(SharedData.DataFile($"simulation_spatialglue_triplet/derived_{mod}_X.csv.gz"));
            var countsCsv = CsvTable.Load(SharedData.DataFile($"simulation_spatialglue_triplet/derived_{mod}_counts.csv.gz"));
            // The CSV headers are f0..fJ-1 while var names are "0".."J-1": compare values and obs names only.
            for (int i = 0; i < ad.ObsCount; i += 7)
            {
                Assert.AreEqual(xCsv.Rows[i][0], ad.ObsNames[i]);
                for (int j = 0; j < vars; j++)
                {
                    Assert.AreEqual(xCsv.Number(i, j + 1), ad.X!.Get(i, j), $"{mod} X ({i},{j})");
                    Assert.AreEqual(countsCsv.Number(i, j + 1), ad.Layers["counts"].Get(i, j), $"{mod} counts ({i},{j})");
                }
            }
            Assert.AreEqual(String.Join(",", Enumerable.Range(0, vars)), string.Join(",", ad.VarNames));
            Assert.AreEqual(4, ad.Obsm["spfac"].Cols);
            Assert.AreEqual(3, ad.Obsm["nsfac"].Cols);
            var gt = CsvTable.Load(SharedData.DataFile("simulation_spatialglue_triplet/derived_GT_labels.csv"));
            for (int i = 0; i < ad.ObsCount; i++)
            {
                Assert.AreEqual(gt.Rows[i][0], ad.ObsNames[i]);
                Assert.AreEqual(gt.Number(i, gt.Column("x")), ad.Obsm["spatial"][i, 0], 1e-7, "float32 x as written by pandas");
                Assert.AreEqual(gt.Number(i, gt.Column("y")), ad.Obsm["spatial"][i, 1], 1e-7);
            }
        }
    }

    [TestMethod]
    public void BreastCancerProteinFileMatchesValuesReadWithH5py()
    {
        var ad = H5adReader.Read(SharedData.DataFile("breast_cancer_visium_protein/adata_protein.h5ad"));
        Assert.AreEqual(4169, ad.ObsCount);
        Assert.AreEqual(35, ad.VarCount);
        // Values printed by h5py for X[0,0], X[4168,34], X[100,7] (float32).
        Assert.AreEqual((double)0.9961992f, ad.X!.Get(0, 0));
        Assert.AreEqual((double)-1.8287512f, ad.X.Get(4168, 34));
        Assert.AreEqual((double)-0.20174912f, ad.X.Get(100, 7));
        Assert.AreEqual("AACACTTGGCAAGGAA-1", ad.ObsNames[0]);
        Assert.AreEqual("CD163", ad.VarNames[0]);
        Assert.AreEqual("CD274", ad.VarNames[34]);
        Assert.AreEqual(10571.0, ad.Obsm["spatial"][0, 0]);
        Assert.AreEqual(8966.0, ad.Obsm["spatial"][0, 1]);
        CollectionAssert.AreEqual(new[] { "FALSE", "TRUE" }, ad.Var["isotype_control"].Categories);
        Assert.AreEqual(1.4849136274019343, ad.Var["mean"].Numbers![0]);
        Assert.AreEqual(11, ad.Var.Count);
        Assert.IsTrue(ad.Skipped.Any(s => s.StartsWith("uns/Spatial_Net", StringComparison.Ordinal)), "the uns data frame is reported as skipped");
    }

    [TestMethod]
    public void MultiGateSpleenAndSpaMVThymusMatchValuesReadWithH5py()
    {
        var spleen = H5adReader.Read(SharedData.DataFile("mouse_spleen_spots/multigate_spleen_Pro_processed_0308.h5ad"));
        Assert.AreEqual(2653, spleen.ObsCount);
        Assert.AreEqual(21, spleen.VarCount);
        Assert.AreEqual((double)1.0956026f, spleen.X!.Get(0, 0));
        Assert.AreEqual((double)0.75967383f, spleen.X.Get(2652, 20));
        Assert.AreEqual(2033.0, spleen.Obsm["spatial"][0, 0]);
        var counts = H5adReader.Read(SharedData.DataFile("mouse_spleen_spots/adata_ADT.h5ad"));
        Assert.IsTrue(counts.ObsNames.All(new HashSet<string>(spleen.ObsNames).Contains), "the 2568 SPOTS barcodes are a subset of MultiGATE's 2653");

        var thymus = H5adReader.Read(SharedData.DataFile("mouse_thymus_stereo_cite/spamv_adata_ADT_preprocessed.h5ad"));
        Assert.AreEqual(4459, thymus.ObsCount);
        Assert.AreEqual(19, thymus.VarCount);
        Assert.AreEqual((double)2.5155263f, thymus.X!.Get(0, 0));
        Assert.AreEqual((double)0.106582575f, thymus.X.Get(4458, 18));
        Assert.AreEqual((double)1.9282821f, thymus.X.Get(10, 3));
        Assert.AreEqual("110_38", thymus.ObsNames[0]);
        Assert.AreEqual("mouse_CD5", thymus.VarNames[0]);
        Assert.AreEqual(19.0, thymus.Obs["n_genes"].Numbers![0]);
        Assert.AreEqual(4459.0, thymus.Var["n_cells"].Numbers![0]);
        Assert.AreEqual(17176.0, thymus.Obs["x"].Numbers![0]);
        Assert.AreEqual(14471.0, thymus.Obsm["spatial"][0, 1]);
        CollectionAssert.AreEqual(new[] { "orig.ident", "x", "y", "n_genes" }, thymus.Obs.Keys.ToArray());
    }

    [TestMethod]
    public void EveryH5adUnderSharedDataLoads()
    {
        var root = SharedData.Require("data");
        var files = Directory.GetFiles(root, "*.h5ad", SearchOption.AllDirectories);
        Assert.AreEqual(10, files.Length, "the shared data has 10 .h5ad files (update this test when it changes)");
        foreach (var f in files)
        {
            var ad = H5adReader.Read(f);
            Assert.IsNotNull(ad.X, f);
            Assert.AreEqual(ad.ObsCount, ad.X.Rows, f);
            Assert.IsTrue(ad.Obsm.ContainsKey("spatial"), f);
        }
    }
}
