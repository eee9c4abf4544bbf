using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Tests.Clustering;

[TestClass]
public sealed class ClusteringHeadTests
{
    private static IDataView EmbeddingView(DenseMatrix x) => new InMemoryDataView(new[] { InMemoryColumn.Vector("Embedding", x) });

    private static uint[] Keys(IDataView v, string column = "PredictedLabel")
    {
        var col = v.Schema[column];
        var result = new List<uint>();
        using var cursor = v.GetRowCursor(new[] { col });
        var g = cursor.GetGetter<uint>(col);
        uint k = 0;
        while (cursor.MoveNext()) { g(ref k); result.Add(k); }
        return result.ToArray();
    }

    [TestMethod]
    public void MixtureHeadReproducesMclustOnTheToyAndRoundTripsThroughAModelZip()
    {
        var x = GmmFixture.Input("toy", out _);
        var expected = GmmFixture.Ints(GmmFixture.Case("toy").GetProperty("mclust").GetProperty("classification_1based"));
        var ml = new MLContext(seed: 1);
        var view = EmbeddingView(x);
        var estimator = ml.Clustering.Trainers.SpatialClusteringHead(clusters: 3);
        var shape = estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(view.Schema));
        Assert.IsTrue(SchemaShapeFactory.TryFind(shape, "PredictedLabel", out var labelCol) && labelCol.IsKey);
        Assert.IsTrue(SchemaShapeFactory.TryFind(shape, "Score", out var scoreCol) && scoreCol.Kind == SchemaShape.Column.VectorKind.Vector);

        var model = estimator.Fit(view);
        var output = model.Transform(view);
        var keys = Keys(output);
        Assert.AreEqual(1.0, SpatialClusteringEvaluator.Evaluate(expected, keys.Select(k => (int)k).ToArray()).AdjustedRandIndex);
        Assert.IsTrue(keys.All(k => k >= 1 && k <= 3));
        Assert.AreEqual(-2177.148655897549, model.Mixture!.LogLikelihood, 1e-9 * 2177);
        var scores = DataViewReader.ReadVectorColumn(output, "Score");
        for (int i = 0; i < scores.Rows; i++) Assert.AreEqual(1.0, scores.Row(i).ToArray().Sum(), 1e-6);
        Assert.AreEqual(model.GetOutputSchema(view.Schema)["Score"].Type, output.Schema["Score"].Type);

        string path = Path.Combine(Path.GetTempPath(), $"head-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, view.Schema, path);
            var fresh = new MLContext(seed: 7);
            var loaded = ModelPersistence.Load(fresh, path, out _);
            var again = loaded.Transform(EmbeddingView(x));
            CollectionAssert.AreEqual(keys, Keys(again));
            CollectionAssert.AreEqual(scores.Data, DataViewReader.ReadVectorColumn(again, "Score").Data);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void ClusterRangeIsChosenByBicAndReported()
    {
        var x = GmmFixture.Input("toy", out _);
        var ml = new MLContext(seed: 1);
        var model = ml.Clustering.Trainers.SpatialClusteringHead(new ClusteringHeadOptions { MinClusters = 2, MaxClusters = 5 }).Fit(EmbeddingView(x));
        Assert.AreEqual(3, model.Clusters);
        Assert.AreEqual(4, model.BicTable.Count);
        Assert.AreEqual(model.BicTable.Max(e => e.Bic), model.Mixture!.Bic);
    }

    [TestMethod]
    public void PcaBeforeClusteringUsesTheLeadingComponents()
    {
        // The HLN input already holds principal-component scores: its own PCA must return the coordinate axes.
        var x = GmmFixture.Input("hln_pca10", out _);
        var pca = EmbeddingPca.Fit(x, 3);
        for (int c = 0; c < 3; c++)
            for (int a = 0; a < 10; a++)
                Assert.AreEqual(a == c ? 1.0 : 0.0, Math.Abs(pca.Components[a, c]), 1e-8, $"component {c}, loading {a}");
        var scores = pca.Transform(x);
        for (int c = 0; c < 3; c++) Assert.AreEqual(x[5, c], Math.Abs(scores[5, c]) * Math.Sign(x[5, c]), 1e-8);
    }

    [TestMethod]
    public void KMeansHeadAndPcaHeadWorkAndBadInputIsNamed()
    {
        var x = GmmFixture.Input("hln_pca10", out _);
        var ml = new MLContext(seed: 1);
        var view = EmbeddingView(x);
        var km = ml.Clustering.Trainers.SpatialKMeans(clusters: 10, pcaComponents: 5).Fit(view);
        var keys = Keys(km.Transform(view));
        Assert.AreEqual(10, keys.Distinct().Count());
        Assert.AreEqual(5, km.Centroids!.Cols);

        var e = Assert.ThrowsExactly<ArgumentException>(() => km.Transform(new InMemoryDataView(new[] { InMemoryColumn.Vector("Other", x) })));
        StringAssert.Contains(e.Message, "'Embedding'");
        var narrow = new InMemoryDataView(new[] { InMemoryColumn.Vector("Embedding", new float[8], 4) });
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => km.Transform(narrow));
        StringAssert.Contains(e2.Message, "width 4");

        var state = new ModelStateWriter();
        ((IPersistableTransformer)km).SaveState(state);
        var back = ClusteringHeadTransformer.LoadState(ml, ModelStateReader.FromBytes(state.ToBytes()));
        CollectionAssert.AreEqual(keys, Keys(back.Transform(view)));
    }
}
