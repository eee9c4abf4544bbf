using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.IO;

[TestClass]
public class SectionDataViewTests
{
    private static SpatialSection Tiny()
    {
        var rna = new CsrMatrix(3, 4, new long[] { 0, 2, 2, 3 }, new[] { 1, 3, 0 }, new[] { 5.0, 1.5, 2 });
        var adt = DenseMatrix.FromRows(new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 }, new[] { 5.0, 6 } });
        return new SpatialSection(new[] { "a", "b", "c" }, new[] { 0.5, 1, 2 }, new[] { 3.0, 4, 5 },
            new[] { new ModalityData("RNA", new[] { "g1", "g2", "g3", "g4" }, rna), new ModalityData("ADT", new[] { "CD3", "CD4" }, adt) },
            new[] { "t1", null, "t2" }, "tiny");
    }

    [TestMethod]
    public void SchemaFollowsTheArchitecture()
    {
        var view = new MLContext(seed: 1).Data.LoadFromSpatialSection(Tiny());
        CollectionAssert.AreEqual(new[] { "SpotId", "X", "Y", "RNA", "ADT", "Truth" }, view.Schema.Select(c => c.Name).ToArray());
        Assert.IsInstanceOfType<TextDataViewType>(view.Schema["SpotId"].Type);
        Assert.AreEqual(NumberDataViewType.Single, view.Schema["X"].Type);
        var rna = (VectorDataViewType)view.Schema["RNA"].Type;
        Assert.AreEqual(NumberDataViewType.Single, rna.ItemType);
        Assert.AreEqual(4, rna.Size);
        CollectionAssert.AreEqual(new[] { "g1", "g2", "g3", "g4" }, DataViewReader.ReadSlotNames(view, "RNA"));
        CollectionAssert.AreEqual(new[] { "CD3", "CD4" }, DataViewReader.ReadSlotNames(view, "ADT"));
        Assert.AreEqual(3L, view.GetRowCount());
    }

    [TestMethod]
    public void SparseModalitiesComeOutAsSparseBuffers()
    {
        var view = Tiny().ToDataView();
        var col = view.Schema["RNA"];
        using var cursor = view.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var buf = default(VBuffer<float>);
        var expected = new[] { (new[] { 1, 3 }, new[] { 5f, 1.5f }), (new int[0], new float[0]), (new[] { 0 }, new[] { 2f }) };
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref buf);
            Assert.IsFalse(buf.IsDense, $"row {row} is sparse");
            Assert.AreEqual(4, buf.Length);
            CollectionAssert.AreEqual(expected[row].Item1, buf.GetIndices().ToArray());
            CollectionAssert.AreEqual(expected[row].Item2, buf.GetValues().ToArray());
            row++;
        }
        Assert.AreEqual(3, row);
    }

    [TestMethod]
    public void AFullSparseRowComesOutDense()
    {
        var m = new CsrMatrix(2, 2, new long[] { 0, 2, 3 }, new[] { 0, 1, 1 }, new[] { 1.0, 2, 3 });
        var view = new InMemoryDataView(new[] { InMemoryColumn.SparseVector("V", m) });
        var back = DataViewReader.ReadVectorColumn(view, "V");
        CollectionAssert.AreEqual(new[] { 1.0, 2, 0, 3 }, back.Data);
    }

    [TestMethod]
    public void ReadSparseVectorColumnGivesBackTheCsrForSparseAndDenseColumns()
    {
        var s = Tiny();
        var view = s.ToDataView();
        var rna = DataViewReader.ReadSparseVectorColumn(view, "RNA");
        CollectionAssert.AreEqual(s.GetModality("RNA").Sparse!.RowPtr, rna.RowPtr);
        CollectionAssert.AreEqual(s.GetModality("RNA").Sparse!.ColIndices, rna.ColIndices);
        CollectionAssert.AreEqual(s.GetModality("RNA").Sparse!.Values, rna.Values);
        var adt = DataViewReader.ReadSparseVectorColumn(view, "ADT");
        CollectionAssert.AreEqual(s.GetModality("ADT").Dense!.Data, adt.ToDense().Data);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => DataViewReader.ReadSparseVectorColumn(view, "SpotId"));
        StringAssert.Contains(ex.Message, "SpotId");
    }

    [TestMethod]
    public void ASectionRoundTripsThroughItsDataView()
    {
        var s = Tiny();
        var back = s.ToDataView().ToSpatialSection(name: "back");
        CollectionAssert.AreEqual(s.SpotIds, back.SpotIds);
        CollectionAssert.AreEqual(s.X, back.X);
        CollectionAssert.AreEqual(s.Y, back.Y);
        CollectionAssert.AreEqual(s.Truth, back.Truth);
        CollectionAssert.AreEqual(new[] { "RNA", "ADT" }, back.Modalities.Select(m => m.Name).ToArray());
        Assert.IsNotNull(back.GetModality("RNA").Sparse, "3 of 12 non-zero: sparse");
        Assert.IsNotNull(back.GetModality("ADT").Dense, "all non-zero: dense");
        CollectionAssert.AreEqual(s.GetModality("RNA").ToDense().Data, back.GetModality("RNA").ToDense().Data);
        CollectionAssert.AreEqual(s.GetModality("ADT").Dense!.Data, back.GetModality("ADT").Dense!.Data);
        CollectionAssert.AreEqual(s.GetModality("ADT").FeatureNames, back.GetModality("ADT").FeatureNames);
        // Only the named modality when asked.
        Assert.AreEqual("ADT", s.ToDataView().ToSpatialSection(new[] { "ADT" }).Modalities.Single().Name);
    }

    [TestMethod]
    public void ALoadedRealSectionRoundTripsAndKeepsDuplicatedMarkersApart()
    {
        var (s, _) = SectionLoader.Load(new SectionLoadOptions { TruthCsvPath = SharedData.DataFile("hln_a1/annotation.csv") }
            .Add("ADT", SharedData.DataFile("hln_a1/adata_ADT.h5ad")));
        var view = s.ToDataView();
        var slots = DataViewReader.ReadSlotNames(view, "ADT")!;
        Assert.AreEqual(slots.Length, slots.Distinct().Count());
        var back = view.ToSpatialSection();
        Assert.AreEqual(s.SpotCount, back.SpotCount);
        CollectionAssert.AreEqual(s.Truth, back.Truth);
        // Counts up to 1.1e6 are exact in float32 only below 2^24; compare after float rounding.
        var a = s.GetModality("ADT").ToDense().Data.Select(v => (double)(float)v).ToArray();
        CollectionAssert.AreEqual(a, back.GetModality("ADT").ToDense().Data);
    }

    [TestMethod]
    public void AModalityNamedLikeASectionColumnIsRefused()
    {
        var m = new ModalityData("X", new[] { "f" }, new DenseMatrix(1, 1));
        var s = new SpatialSection(new[] { "a" }, new[] { 0.0 }, new[] { 0.0 }, new[] { m });
        var ex = Assert.ThrowsExactly<ArgumentException>(() => s.ToDataView());
        StringAssert.Contains(ex.Message, "modality 'X'");
    }
}
