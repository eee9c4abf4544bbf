using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.Transforms;
using static MLNetSpatialOmics.Tests.Transforms.PreprocessFixtures;

namespace MLNetSpatialOmics.Tests.Transforms;

/// <summary>Fitted preprocessing pipelines saved with <c>mlContext.Model.Save</c> and loaded in a fresh MLContext.</summary>
[TestClass]
public sealed class ModelZipTests
{
    [TestMethod]
    public void PresetPipelineRoundTripsThroughTheModelZip()
    {
        var ml = new MLContext(seed: 1);
        var rna = new DenseMatrix(200, 120);
        var adt = new DenseMatrix(200, 12);
        var atac = new DenseMatrix(200, 90);
        CopyBlock(Counts("triplet_RNA"), rna); CopyBlock(Counts("triplet_ADT"), adt); CopyBlock(Counts("triplet_ATAC"), atac);
        IDataView Section() => new InMemoryDataView(new InMemoryColumn[]
        {
            SparseVectorColumn.FromCsr("RNA", CsrMatrix.FromDense(rna), Enumerable.Range(0, 120).Select(j => "g" + j).ToArray()),
            InMemoryColumn.Vector("ADT", adt, Enumerable.Range(0, 12).Select(j => "p" + j).ToArray()),
            SparseVectorColumn.FromCsr("ATAC", CsrMatrix.FromDense(atac), Enumerable.Range(0, 90).Select(j => "peak" + j).ToArray()),
        });
        var view = Section();
        // Every transform type of the area: CLR, PCA, normalise, log1p, HVG subset, LSI (Simulation) and filter + scale (10x).
        foreach (var type in new[] { PragaDataType.Simulation, PragaDataType.TenX })
        {
            var model = PragaPresets.Build(ml, type).Fit(view);
            var before = model.Transform(view);
            var path = Path.Combine(Path.GetTempPath(), $"preprocess-{type}-{Guid.NewGuid():N}.zip");
            try
            {
                ml.Model.Save(model, view.Schema, path);
                var fresh = new MLContext();
                ModelPersistence.Register(fresh);
                var loaded = fresh.Model.Load(path, out _);
                var after = loaded.Transform(Section());
                foreach (var col in PragaPresets.RequiredColumns(type).Select(c => c + "_feat"))
                    CollectionAssert.AreEqual(DataViewReader.ReadVectorColumn(before, col).Data, DataViewReader.ReadVectorColumn(after, col).Data, $"{type} {col}");
            }
            finally { File.Delete(path); }
        }
    }

    private static void CopyBlock(DenseMatrix from, DenseMatrix to)
    {
        for (int i = 0; i < to.Rows; i++) from.RowReadOnly(i)[..to.Cols].CopyTo(to.Row(i));
    }
}
