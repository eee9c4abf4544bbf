using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Tests.Graphs;

[TestClass]
public sealed class GraphFeaturizerTests
{
    private static IDataView Section(double[] x, double[] y, DenseMatrix features, string modality = "ADT") => new InMemoryDataView(new[]
    {
        InMemoryColumn.Text(SectionColumns.SpotId, Enumerable.Range(0, x.Length).Select(i => $"spot{i}").ToArray()),
        InMemoryColumn.Single(SectionColumns.X, x.Select(v => (float)v).ToArray()),
        InMemoryColumn.Single(SectionColumns.Y, y.Select(v => (float)v).ToArray()),
        InMemoryColumn.Vector(modality, features),
    });

    private static DenseMatrix AsFloat(DenseMatrix m)
    {
        var r = m.Clone();
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] = (float)r.Data[i];
        return r;
    }

    [TestMethod]
    public void HlnPipeline_AddsSpatialAndFeatureGraphs_ThatReadBackToTheGoldenLists()
    {
        var ml = new MLContext(seed: 1);
        var clr = DenseMatrix.FromRows(HlnGraphData.Clr());
        var view = Section(HlnGraphData.X, HlnGraphData.Y, clr);
        var pipeline = ml.Transforms.BuildSpatialGraph(k: 6).Append(ml.Transforms.BuildFeatureGraph("ADT", k: 20));
        var output = pipeline.Fit(view).Transform(view);

        var indicesCol = output.Schema["SpatialGraph.Indices"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Int32, 6), indicesCol.Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 20), output.Schema["ADT.FeatureGraph.Distances"].Type);
        Assert.IsNotNull(output.Schema.GetColumnOrNull("ADT"), "input columns pass through");

        var spatial = GraphColumns.ReadNeighborList(output, "SpatialGraph");
        var golden = HlnGraphData.Fixture("moran_hln.json").GetProperty("neighbours_knn6_tiebreak_by_index");
        int i = 0;
        foreach (var row in golden.EnumerateArray())
            CollectionAssert.AreEqual(HlnGraphData.Ints(row), spatial.NeighborsOf(i++).ToArray(), $"spot {i - 1}");

        // The feature column holds floats (ML.NET vectors are R4): the graph equals a direct search on those values.
        var feature = GraphColumns.ReadNeighborList(output, "ADT.FeatureGraph");
        var direct = FeatureKnn.Compute(AsFloat(clr), 20, FeatureMetric.Correlation, KnnAlgorithm.Exact);
        CollectionAssert.AreEqual(direct.Indices, feature.Indices);
        for (int p = 0; p < direct.Distances.Length; p++) Assert.AreEqual((float)direct.Distances[p], (float)feature.Distances[p]);
        Assert.AreEqual(NeighborList.Missing, feature.NeighborsOf(2174)[0], "the all-zero spot has no neighbours");

        var adjacency = GraphColumns.ReadPragaAdjacency(output, "SpatialGraph");
        var expected = GraphOps.PragaNormalizedAdjacency(SpatialKnn.Compute(HlnGraphData.X, HlnGraphData.Y, 6));
        CollectionAssert.AreEqual(expected.ColIndices, adjacency.ColIndices);
        CollectionAssert.AreEqual(expected.Values, adjacency.Values);
    }

    [TestMethod]
    public void FittedPipeline_RebuildsTheGraphForANewSection()
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(2);
        IDataView MakeSection(int n) => Section(
            Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 100).ToArray(),
            Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 100).ToArray(),
            FeatureKnnTests.Clustered(n, 10, rng.Next()));
        var train = MakeSection(400);
        var other = MakeSection(250);
        var model = ml.Transforms.BuildSpatialGraph(k: 4).Fit(train);
        var scored = model.Transform(other);
        var list = GraphColumns.ReadNeighborList(scored, "SpatialGraph");
        Assert.AreEqual(250, list.Count);
        var x = DataViewReader.ReadScalarColumn(other, SectionColumns.X);
        var y = DataViewReader.ReadScalarColumn(other, SectionColumns.Y);
        CollectionAssert.AreEqual(SpatialKnn.Compute(x, y, 4).Indices, list.Indices);
    }

    [TestMethod]
    public void SavedState_RestoresTheSameTransformer()
    {
        var options = new GraphFeaturizerOptions
        {
            Kind = GraphKind.Feature, InputColumn = "RNA", K = 7, Metric = FeatureMetric.Cosine,
            Algorithm = KnnAlgorithm.Approximate, ExactThreshold = 10, Seed = 42, OutputColumnPrefix = "G",
        };
        var original = new GraphFeaturizerTransformer(options);
        var writer = new ModelStateWriter();
        original.SaveState(writer);
        var restored = GraphFeaturizerTransformer.LoadState(new MLContext(), ModelStateReader.FromBytes(writer.ToBytes()));
        var a = restored.Options;
        Assert.AreEqual((options.Kind, options.InputColumn, options.K, options.Metric, options.Algorithm, options.ExactThreshold, options.Seed, options.OutputColumnPrefix),
                        (a.Kind, a.InputColumn, a.K, a.Metric, a.Algorithm, a.ExactThreshold, a.Seed, a.OutputColumnPrefix));
        var rng = new Random(4);
        var view = Section(new double[300], new double[300], FeatureKnnTests.Clustered(300, 6, 5), "RNA");
        var first = GraphColumns.ReadNeighborList(original.Transform(view), "G");
        var second = GraphColumns.ReadNeighborList(restored.Transform(view), "G");
        CollectionAssert.AreEqual(first.Indices, second.Indices);
        CollectionAssert.AreEqual(first.Distances, second.Distances);
        Assert.IsTrue(typeof(GraphFeaturizerTransformer).GetCustomAttributes(typeof(PersistableTransformerAttribute), false).Length == 1);
    }

    [TestMethod]
    public void FittedPipeline_RoundTripsThroughAnMlNetModelZip()
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(6);
        var view = Section(Enumerable.Range(0, 300).Select(_ => (double)rng.Next(0, 30)).ToArray(),
                           Enumerable.Range(0, 300).Select(_ => (double)rng.Next(0, 30)).ToArray(),
                           FeatureKnnTests.Clustered(300, 8, 7));
        var model = ml.Transforms.BuildSpatialGraph(k: 6)
            .Append(ml.Transforms.BuildFeatureGraph("ADT", k: 10, metric: FeatureMetric.Euclidean, algorithm: KnnAlgorithm.Approximate, seed: 3))
            .Fit(view);
        var path = Path.Combine(Path.GetTempPath(), $"mlnso-graphs-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, view.Schema, path);
            var fresh = new MLContext(seed: 99);
            var loaded = ModelPersistence.Load(fresh, path, out _);
            var before = model.Transform(view);
            var after = loaded.Transform(view);
            foreach (var prefix in new[] { "SpatialGraph", "ADT.FeatureGraph" })
            {
                var a = GraphColumns.ReadNeighborList(before, prefix);
                var b = GraphColumns.ReadNeighborList(after, prefix);
                CollectionAssert.AreEqual(a.Indices, b.Indices, prefix);
                CollectionAssert.AreEqual(a.Distances, b.Distances, prefix);
            }
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void EstimatorOutputShape_ListsTheNeighbourColumns()
    {
        var view = Section(new double[30], new double[30], new DenseMatrix(30, 4));
        var estimator = new MLContext().Transforms.BuildFeatureGraph("ADT", k: 5, outputColumnPrefix: "F");
        var shape = estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(view.Schema));
        var names = shape.Select(c => c.Name).ToList();
        CollectionAssert.IsSubsetOf(new[] { SectionColumns.X, "ADT", "F.Indices", "F.Distances" }, names);
        var idx = shape.Single(c => c.Name == "F.Indices");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, idx.Kind);
        Assert.AreEqual(NumberDataViewType.Int32, idx.ItemType);
        Assert.AreEqual(NumberDataViewType.Single, shape.Single(c => c.Name == "F.Distances").ItemType);
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            new MLContext().Transforms.BuildFeatureGraph("RNA").GetOutputSchema(SchemaShapeFactory.FromSchema(view.Schema)));
        StringAssert.Contains(e.Message, "no feature column 'RNA'");
    }

    [TestMethod]
    public void BadInput_GivesClearErrors()
    {
        var ml = new MLContext();
        var view = Section(new double[] { 0, 1, 2 }, new double[] { 0, 0, 0 }, new DenseMatrix(3, 2));
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.BuildSpatialGraph(k: 3).Fit(view).Transform(view));
        StringAssert.Contains(e.Message, "graph featurizer 'SpatialGraph'");
        StringAssert.Contains(e.Message, "but there are 3");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.BuildSpatialGraph(xColumn: "row").Fit(view));
        StringAssert.Contains(e.Message, "no coordinate column 'row'");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.BuildFeatureGraph(SectionColumns.X).Fit(view));
        StringAssert.Contains(e.Message, "fixed-size Single or Double vector");
        Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.BuildGraph(new GraphFeaturizerOptions { Kind = GraphKind.Feature }));
        e = Assert.ThrowsExactly<ArgumentException>(() => GraphColumns.ReadNeighborList(view, "Nope"));
        StringAssert.Contains(e.Message, "no column 'Nope.Indices'");
        Assert.IsFalse(new GraphFeaturizerTransformer(new GraphFeaturizerOptions()).IsRowToRowMapper);
    }

    [TestMethod]
    public void ReadNeighborList_RejectsColumnsFromAnotherSection()
    {
        var idx = new[] { 1, 5, 0, 1 };
        var view = new InMemoryDataView(new[]
        {
            InMemoryColumn.Vector("G.Indices", idx, 2),
            InMemoryColumn.Vector("G.Distances", new float[] { 1, 2, 1, 2 }, 2),
        });
        var e = Assert.ThrowsExactly<ArgumentException>(() => GraphColumns.ReadNeighborList(view, "G"));
        StringAssert.Contains(e.Message, "lists spot 5, but the view has 2 rows");
    }
}
