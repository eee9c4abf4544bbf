using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Tests.Transforms.PreprocessFixtures;

namespace MLNetSpatialOmics.Tests.Transforms;

[TestClass]
public sealed class PresetTests
{
    private static DenseMatrix Block(DenseMatrix m, int rows, int cols)
    {
        var r = new DenseMatrix(rows, cols);
        for (int i = 0; i < rows; i++) m.RowReadOnly(i)[..cols].CopyTo(r.Row(i));
        return r;
    }

    private static string[] Names(string prefix, int n) => Enumerable.Range(0, n).Select(j => prefix + j).ToArray();

    /// <summary>A 300-spot slice of the triplet simulation (150 genes, 30 proteins, 150 peaks) keeps the test fast.</summary>
    private static IDataView TripletSlice(out DenseMatrix rna, out DenseMatrix adt, out DenseMatrix atac)
    {
        rna = Block(Counts("triplet_RNA"), 300, 150);
        adt = Block(Counts("triplet_ADT"), 300, 30);
        atac = Block(Counts("triplet_ATAC"), 300, 150);
        return new InMemoryDataView(new InMemoryColumn[]
        {
            SparseVectorColumn.FromCsr("RNA", CsrMatrix.FromDense(rna), Names("g", 150)),
            InMemoryColumn.Vector("ADT", adt, Names("p", 30)),
            SparseVectorColumn.FromCsr("ATAC", CsrMatrix.FromDense(atac), Names("peak", 150)),
        });
    }

    [TestMethod]
    public void SimulationPresetFollowsPragaRecipe()
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) warnings.Add(e.Message); };
        var view = TripletSlice(out var rna, out var adt, out var atac);
        var output = PragaPresets.Build(ml, "Simulation").Fit(view).Transform(view);
        foreach (var col in new[] { "RNA_feat", "ADT_feat", "ATAC_feat" })
            Assert.AreEqual(30, ((VectorDataViewType)output.Schema[col].Type).Size, col + " width = n_protein");
        Assert.IsTrue(warnings.Any(w => w.Contains("3000 features were asked")), "asking 3000 HVGs of 150 genes keeps all, with a warning");

        // Independent composition from the kernels: ADT = PCA_30(CLR), RNA = PCA_30(log1p(normalise(all genes))), ATAC = LSI(31) drop first.
        var adtExpected = PcaModel.Fit(CountKernels.Clr(new FeatureMatrix(adt), out _), 30, SvdSolver.Exact);
        var logRna = CountKernels.Log1p(CountKernels.NormalizeTotal(new FeatureMatrix(rna)));
        var rnaExpected = PcaModel.Fit(logRna, 30, SvdSolver.Exact).Transform(logRna);
        var atacExpected = LsiModel.Fit(new FeatureMatrix(atac), 31, solver: SvdSolver.Exact).Transform(new FeatureMatrix(atac));
        var adtActual = DataViewReader.ReadVectorColumn(output, "ADT_feat");
        var rnaActual = DataViewReader.ReadVectorColumn(output, "RNA_feat");
        var atacActual = DataViewReader.ReadVectorColumn(output, "ATAC_feat");
        var adtScores = adtExpected.Transform(CountKernels.Clr(new FeatureMatrix(adt), out _));
        // Leading, well-separated components only (trailing ones of a 30-feature PCA are nearly degenerate).
        for (int i = 0; i < 300; i += 37)
            for (int k = 0; k < 5; k++)
            {
                Assert.AreEqual(adtScores[i, k], adtActual[i, k], 1e-4, $"ADT_feat[{i},{k}]");
                Assert.AreEqual(rnaExpected[i, k], rnaActual[i, k], 1e-4, $"RNA_feat[{i},{k}]");
                Assert.AreEqual(atacExpected[i, k], atacActual[i, k], 1e-4, $"ATAC_feat[{i},{k}]");
            }
    }

    [TestMethod]
    public void TenXPresetUsesAdtCountMinusOneComponentsAndScales()
    {
        var ml = new MLContext(seed: 1);
        var view = TripletSlice(out _, out var adt, out _);
        var output = PragaPresets.Build(ml, PragaDataType.TenX).Fit(view).Transform(view);
        Assert.AreEqual(29, ((VectorDataViewType)output.Schema["ADT_feat"].Type).Size);
        Assert.AreEqual(29, ((VectorDataViewType)output.Schema["RNA_feat"].Type).Size);
        var z = DataViewReader.ReadVectorColumn(output, "ADT_feat_scaled");
        // Scaled CLR: every column has mean 0 and unbiased variance 1 (or is constant 0).
        for (int j = 0; j < z.Cols; j++)
        {
            double s = 0, ss = 0;
            for (int i = 0; i < z.Rows; i++) { s += z[i, j]; ss += z[i, j] * z[i, j]; }
            Assert.AreEqual(0, s / z.Rows, 1e-5);
            Assert.AreEqual(1, ss / (z.Rows - 1), 1e-4);
        }
        _ = adt;
    }

    [TestMethod]
    public void PresetNamesTheMissingModality()
    {
        var ml = new MLContext();
        var view = new InMemoryDataView(new[] { InMemoryColumn.Vector("RNA", new float[] { 1, 2, 3, 4 }, 2) });
        var e = Assert.ThrowsExactly<ArgumentException>(() => PragaPresets.Build(ml, "Spatial-epigenome-transcriptome").Fit(view));
        StringAssert.Contains(e.Message, "lacks ATAC");
        Assert.ThrowsExactly<ArgumentException>(() => PragaPresets.Parse("visium"));
        Assert.AreEqual(PragaDataType.StereoCiteSeq, PragaPresets.Parse("Stereo-CITE-seq"));
    }
}
