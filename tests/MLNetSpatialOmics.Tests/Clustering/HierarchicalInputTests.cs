using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;

namespace MLNetSpatialOmics.Tests.Clustering;

[TestClass]
public sealed class HierarchicalInputTests
{
    // Four groups in 6-D with very different column scales and one large diffuse group, so that agglomerating the
    // whitened data (SVD) and the raw variables (VARS) can start EM from different partitions.
    private static DenseMatrix Data(int seed)
    {
        var rng = new Random(seed);
        int[] sizes = { 160, 50, 50, 40 };
        var x = new DenseMatrix(sizes.Sum(), 6);
        double[] scale = { 10, 1, 0.1, 5, 0.5, 2 };
        int row = 0;
        for (int g = 0; g < sizes.Length; g++)
            for (int i = 0; i < sizes[g]; i++, row++)
                for (int j = 0; j < 6; j++)
                {
                    double centre = g == 0 ? 0 : (j == g ? 2.5 : 0) + (j == (g + 2) % 6 ? 1.5 : 0);
                    double spread = g == 0 ? 1.4 : 0.6;
                    x[row, j] = scale[j] * (centre + spread * Gaussian(rng));
                }
        return x;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static MclustOptions Only(params HierarchicalInput[] inputs) => new() { HierarchicalInputs = inputs };

    [TestMethod]
    public void SeveralInputsKeepTheFitWithTheLargerBic()
    {
        bool sawDifferentStarts = false;
        for (int seed = 1; seed <= 6; seed++)
        {
            var x = Data(seed);
            var svd = MclustFitter.Fit(x, 4, MixtureModelName.EEE, Only(HierarchicalInput.Svd));
            var vars = MclustFitter.Fit(x, 4, MixtureModelName.EEE, Only(HierarchicalInput.Vars));
            var both = MclustFitter.Fit(x, 4, MixtureModelName.EEE, Only(HierarchicalInput.Svd, HierarchicalInput.Vars));
            var expected = vars.Bic > svd.Bic ? vars : svd;
            Assert.AreEqual(expected.Bic, both.Bic);
            CollectionAssert.AreEqual(expected.TrainingLabels.ToArray(), both.TrainingLabels.ToArray());
            if (Math.Abs(svd.Bic - vars.Bic) > 1e-6) sawDifferentStarts = true;
        }
        Assert.IsTrue(sawDifferentStarts, "the two hierarchical inputs should lead to different fits on at least one of these data sets");
    }

    [TestMethod]
    public void EveryBicTableCellIsTheBetterOfTheInputs()
    {
        var x = Data(2);
        var models = new[] { MixtureModelName.EEE, MixtureModelName.VVI };
        var svd = MclustFitter.FitRange(x, new[] { 2, 3, 4 }, models, Only(HierarchicalInput.Svd));
        var vars = MclustFitter.FitRange(x, new[] { 2, 3, 4 }, models, Only(HierarchicalInput.Vars));
        var both = MclustFitter.FitRange(x, new[] { 2, 3, 4 }, models, Only(HierarchicalInput.Svd, HierarchicalInput.Vars));
        for (int i = 0; i < both.BicTable.Count; i++)
        {
            double a = svd.BicTable[i].Bic, b = vars.BicTable[i].Bic;
            double best = double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
            Assert.AreEqual(best, both.BicTable[i].Bic, $"cell {both.BicTable[i].Model} G={both.BicTable[i].Components}");
        }
    }

    [TestMethod]
    public void DefaultsAreMclustsAndAnEmptyListIsRejected()
    {
        CollectionAssert.AreEqual(new[] { HierarchicalInput.Svd }, new MclustOptions().HierarchicalInputs.ToArray());
        CollectionAssert.AreEqual(new[] { HierarchicalInput.Svd }, new ClusteringHeadOptions().HierarchicalInputs.ToArray());
        var error = Assert.ThrowsExactly<ArgumentException>(() => MclustFitter.Fit(Data(1), 3, MixtureModelName.EEE, Only()));
        StringAssert.Contains(error.Message, nameof(MclustOptions.HierarchicalInputs));
    }

    [TestMethod]
    public void TheGraphTrainersFinalLabellingTriesBothInputs()
    {
        var raw = Data(3);
        var embedding = raw.Data.Select(v => (float)v).ToArray();
        // The head reads float embeddings: the reference fits see the same float-rounded values.
        var x = new DenseMatrix(raw.Rows, raw.Cols);
        for (int i = 0; i < embedding.Length; i++) x.Data[i] = embedding[i];
        var head = FinalClustering.FitHead(embedding, x.Cols, 4, 0, MixtureModelName.EEE, 2020);
        var svd = MclustFitter.Fit(x, 4, MixtureModelName.EEE, Only(HierarchicalInput.Svd));
        var vars = MclustFitter.Fit(x, 4, MixtureModelName.EEE, Only(HierarchicalInput.Vars));
        Assert.AreEqual(Math.Max(svd.Bic, vars.Bic), head.Mixture!.Bic, 1e-9 * Math.Abs(head.Mixture.Bic));
    }
}
