using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.IO;

[TestClass]
public class SectionLoaderTests
{
    [ClassCleanup]
    public static void CleanUp() => IoTestFiles.CleanUp();

    private const string Sim = "simulation_spatialglue_triplet";

    [TestMethod]
    public void TripletSimulationLoadsThreeModalitiesWithCsvTruth()
    {
        var o = new SectionLoadOptions { TruthCsvPath = SharedData.DataFile($"{Sim}/derived_GT_labels.csv"), TruthCsvColumn = "domain" }
            .Add("RNA", SharedData.DataFile($"{Sim}/adata_RNA.h5ad"))
            .Add("ADT", SharedData.DataFile($"{Sim}/adata_ADT.h5ad"), layer: "counts")
            .Add("ATAC", SharedData.DataFile($"{Sim}/adata_ATAC.h5ad"));
        var (s, report) = SectionLoader.Load(o);
        Assert.AreEqual(1296, s.SpotCount);
        Assert.AreEqual(0, report.TotalDropped);
        CollectionAssert.AreEqual(new[] { "RNA", "ADT", "ATAC" }, s.Modalities.Select(m => m.Name).ToArray());
        Assert.AreEqual(1000, s.GetModality("RNA").FeatureCount);
        Assert.AreEqual(100, s.GetModality("ADT").FeatureCount);
        Assert.AreEqual(Sim, s.Name);
        // Truth: 432 background + 180/288/216/180 (SOURCES.md), joined by spot id.
        var counts = s.Truth!.GroupBy(t => t).ToDictionary(g => g.Key!, g => g.Count());
        Assert.AreEqual(432, counts["0"]);
        CollectionAssert.AreEquivalent(new[] { 180, 288, 216, 180 }, new[] { counts["1"], counts["2"], counts["3"], counts["4"] });
        Assert.AreEqual(0, report.TruthUnknownCount);
        // The ADT modality is the counts layer: compare with its CSV export; coordinates with the GT CSV.
        var adtCounts = CsvTable.Load(SharedData.DataFile($"{Sim}/derived_ADT_counts.csv.gz"));
        var gt = CsvTable.Load(SharedData.DataFile($"{Sim}/derived_GT_labels.csv"));
        var adt = s.GetModality("ADT").ToDense();
        for (int i = 0; i < s.SpotCount; i += 11)
        {
            Assert.AreEqual(adtCounts.Rows[i][0], s.SpotIds[i]);
            for (int j = 0; j < 100; j++) Assert.AreEqual(adtCounts.Number(i, j + 1), adt[i, j]);
            Assert.AreEqual(gt.Number(i, gt.Column("x")), s.X[i], 1e-7);
            Assert.AreEqual(gt.Number(i, gt.Column("y")), s.Y[i], 1e-7);
        }
    }

    [TestMethod]
    public void LymphNodeAdtGetsUniqueSlotNamesAndTheManualAnnotation()
    {
        var o = new SectionLoadOptions { TruthCsvPath = SharedData.DataFile("hln_a1/annotation.csv"), TruthCsvColumn = "manual-anno" }
            .Add("ADT", SharedData.DataFile("hln_a1/adata_ADT.h5ad"));
        var (s, report) = SectionLoader.Load(o);
        var adt = s.GetModality("ADT");
        Assert.IsNotNull(adt.Sparse, "CSR stays sparse");
        Assert.AreEqual(adt.FeatureCount, adt.FeatureNames.Distinct().Count(), "slot names are unique");
        var raw = H5adReader.Read(SharedData.DataFile("hln_a1/adata_ADT.h5ad")).VarNames;
        int firstPtprc = Array.IndexOf(raw, "PTPRC"), secondPtprc = Array.LastIndexOf(raw, "PTPRC");
        Assert.AreEqual("PTPRC", adt.FeatureNames[firstPtprc]);
        Assert.AreEqual("PTPRC-1", adt.FeatureNames[secondPtprc]);
        var renames = report.RenamedFeatures["ADT"];
        Assert.AreEqual(raw.Length - raw.Distinct().Count(), renames.Count);
        Assert.IsTrue(renames.Contains(new UniqueNames.Rename(secondPtprc, "PTPRC", "PTPRC-1")));
        StringAssert.Contains(report.ToString(), "'PTPRC' → 'PTPRC-1'");

        var labels = CsvTable.Load(SharedData.DataFile("hln_a1/derived_labels.csv"));
        var byId = labels.Rows.ToDictionary(r => r[0], r => r[labels.Column("manual_anno")]);
        for (int i = 0; i < s.SpotCount; i++) Assert.AreEqual(byId[s.SpotIds[i]], s.Truth![i]);
        Assert.AreEqual(10, s.Truth!.Distinct().Count());
    }

    [TestMethod]
    public void TruthFromAnObsColumnMatchesTheCsv()
    {
        var o = new SectionLoadOptions { TruthObsColumn = "lab_lynn" }
            .Add("ADT", SharedData.DataFile("hln_a1/spamosaic_s1_adata_adt.h5ad"));
        var (s, report) = SectionLoader.Load(o);
        var annotation = LabelCsv.Read(SharedData.DataFile("hln_a1/annotation.csv"), "manual-anno");
        for (int i = 0; i < s.SpotCount; i++) Assert.AreEqual(annotation[s.SpotIds[i]["s1-".Length..]], s.Truth![i]);
        StringAssert.Contains(report.TruthSource!, "obs/lab_lynn");
    }

    [TestMethod]
    public void SpleenFilesAreIntersectedAndReorderedByBarcode()
    {
        string counts = SharedData.DataFile("mouse_spleen_spots/adata_ADT.h5ad");
        string norm = SharedData.DataFile("mouse_spleen_spots/multigate_spleen_Pro_processed_0308.h5ad");
        var (s, report) = SectionLoader.Load(("ADT", counts), ("ADTnorm", norm));
        Assert.AreEqual(2568, s.SpotCount);
        Assert.AreEqual(0, report.DroppedSpots["ADT"].Length);
        Assert.AreEqual(2653 - 2568, report.DroppedSpots["ADTnorm"].Length);
        StringAssert.Contains(report.ToString(), "dropped from ADTnorm");
        var a = H5adReader.Read(counts);
        var b = H5adReader.Read(norm);
        CollectionAssert.AreEqual(a.ObsNames, s.SpotIds, "the first modality's order");
        var bRow = b.ObsNames.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var normSec = s.GetModality("ADTnorm").ToDense();
        for (int i = 0; i < s.SpotCount; i += 5)
            for (int j = 0; j < 21; j++)
                Assert.AreEqual(b.X!.Get(bRow[s.SpotIds[i]], j), normSec[i, j]);
        foreach (var dropped in report.DroppedSpots["ADTnorm"]) Assert.IsFalse(a.ObsNames.Contains(dropped));
    }

    [TestMethod]
    public void FilesWithNoCommonSpotAreRefusedNamingBoth()
    {
        string plain = SharedData.DataFile("hln_a1/adata_ADT.h5ad"), prefixed = SharedData.DataFile("hln_a1/spamosaic_s1_adata_adt.h5ad");
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => SectionLoader.Load(("ADT", plain), ("ADT2", prefixed)));
        StringAssert.Contains(ex.Message, "no spot id is common");
        StringAssert.Contains(ex.Message, plain);
        StringAssert.Contains(ex.Message, prefixed);
        StringAssert.Contains(ex.Message, "'s1-AACACTTGGCAAGGAA-1'");
    }

    [TestMethod]
    public void DuplicateSpotIdsAreRefused()
    {
        var dir = IoTestFiles.TempDir();
        var src = IoTestFiles.Small();
        var dup = new AnnData(new[] { "s0", "s1", "s1", "s3" }, src.VarNames, src.X);
        dup.Obsm["spatial"] = src.Obsm["spatial"];
        var path = Path.Combine(dir, "dup.h5ad");
        H5adWriter.Write(dup, path);
        var ex = Assert.ThrowsExactly<H5adFormatException>(() => SectionLoader.Load(("RNA", path)));
        Assert.AreEqual("obs/_index", ex.Field);
        StringAssert.Contains(ex.Message, "'s1' occurs at rows 1 and 2");
        StringAssert.Contains(ex.Message, "dup.h5ad");
    }

    [TestMethod]
    public void MissingOrNonFiniteCoordinatesAreRefusedAndExplicitOnesWork()
    {
        var dir = IoTestFiles.TempDir();
        var noXy = IoTestFiles.Small();
        noXy.Obsm.Remove("spatial");
        var p1 = Path.Combine(dir, "noxy.h5ad");
        H5adWriter.Write(noXy, p1);
        var ex = Assert.ThrowsExactly<H5adFormatException>(() => SectionLoader.Load(("RNA", p1)));
        Assert.AreEqual("obsm/spatial", ex.Field);
        StringAssert.Contains(ex.Message, "no spatial coordinates");
        StringAssert.Contains(ex.Message, "noxy.h5ad");

        foreach (var bad in new[] { double.NaN, double.PositiveInfinity })
        {
            var nan = IoTestFiles.Small(coords: new double[,] { { 0, 0 }, { 1, 1 }, { 2, bad }, { 3, 3 } });
            var p2 = Path.Combine(dir, $"bad{bad}.h5ad");
            H5adWriter.Write(nan, p2, new H5adWriteOptions { SinglePrecision = false });
            var e2 = Assert.ThrowsExactly<H5adFormatException>(() => SectionLoader.Load(("RNA", p2)));
            Assert.AreEqual("obsm/spatial", e2.Field);
            StringAssert.Contains(e2.Message, "spot 's2' (row 2) has a non-finite coordinate");
        }

        // Explicit coordinates replace obsm and take part in the intersection (s3 has none: dropped).
        var o = new SectionLoadOptions
        {
            Coordinates = new Dictionary<string, (double, double)> { ["s0"] = (5, 6), ["s1"] = (7, 8), ["s2"] = (9, 10), ["zz"] = (0, 0) },
        }.Add("RNA", p1);
        var (s, report) = SectionLoader.Load(o);
        CollectionAssert.AreEqual(new[] { "s0", "s1", "s2" }, s.SpotIds);
        CollectionAssert.AreEqual(new[] { 5.0, 7, 9 }, s.X);
        CollectionAssert.AreEqual(new[] { "s3" }, report.DroppedSpots["RNA"]);
        CollectionAssert.AreEqual(new[] { "zz" }, report.DroppedSpots["coordinates"]);
        Assert.AreEqual("given explicitly", report.CoordinatesSource);
    }

    [TestMethod]
    public void CsvTruthKeepsIntegerAndStringLabelsAndMissingSpotsAreUnknown()
    {
        var dir = IoTestFiles.TempDir();
        var path = Path.Combine(dir, "a.h5ad");
        H5adWriter.Write(IoTestFiles.Small(), path);
        var csv = Path.Combine(dir, "labels.csv");
        File.WriteAllText(csv, "spot,cluster,name\ns0,3,\"tumour, core\"\ns2,1,stroma\nother,2,x\ns3,,empty\n");
        var o = new SectionLoadOptions { TruthCsvPath = csv, TruthCsvColumn = "cluster" }.Add("RNA", path);
        var (s, report) = SectionLoader.Load(o);
        CollectionAssert.AreEqual(new string?[] { "3", null, "1", null }, s.Truth);
        Assert.AreEqual(2, report.TruthUnknownCount);
        Assert.AreEqual(1, report.TruthUnmatchedRows);
        o.TruthCsvColumn = "name";
        CollectionAssert.AreEqual(new string?[] { "tumour, core", null, "stroma", "empty" }, SectionLoader.Load(o).Section.Truth);
        o.TruthCsvColumn = "nope";
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => SectionLoader.Load(o));
        StringAssert.Contains(ex.Message, "no column 'nope'");
        File.WriteAllText(csv, "spot,cluster\ns0,1\ns0,2\n");
        o.TruthCsvColumn = null;
        ex = Assert.ThrowsExactly<InvalidDataException>(() => SectionLoader.Load(o));
        StringAssert.Contains(ex.Message, "'s0' appears on line 2 and again on line 3");
    }

    [TestMethod]
    public void UniqueNamesFollowAnndataRules()
    {
        var names = UniqueNames.MakeUnique(new[] { "A", "B", "A", "A-1", "A", "B" }, out var renames);
        // "A-1" exists already, so the duplicates of A become.
        CollectionAssert.AreEqual(new[] { "A", "B", "A-2", "A-1", "A-3", "B-1" }, names);
        Assert.AreEqual(3, renames.Count);
    }

    [TestMethod]
    public void GatherRowsReordersSparseAndDense()
    {
        var m = new CsrMatrix(3, 3, new long[] { 0, 1, 1, 3 }, new[] { 2, 0, 1 }, new[] { 1.0, 2, 3 });
        var g = SectionLoader.GatherRows(m, new[] { 2, 0 });
        g.Validate();
        CollectionAssert.AreEqual(new[] { 2.0, 3, 0, 0, 0, 1 }, g.ToDense().Data);
        var d = SectionLoader.GatherRows(m.ToDense(), new[] { 2, 0 });
        CollectionAssert.AreEqual(g.ToDense().Data, d.Data);
    }
}
