using MLNetSpatialOmics.TorchSharp.Trsmi;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
public class TrsmiOptionsTests
{
    [TestMethod]
    public void SimulationPresetChangesOnlyTheSpatialNeighboursAndLearningRate()
    {
        var paper = new TrsmiOptions { ModalityColumns = new[] { "RNA", "ADT" } };
        var simulation = TrsmiOptions.Simulation("RNA", "ADT");
        Assert.AreEqual(10, paper.SpatialNeighbors);
        Assert.AreEqual(3, simulation.SpatialNeighbors);
        Assert.AreEqual(0.01, paper.ResolvedLearningRate());
        Assert.AreEqual(0.001, simulation.ResolvedLearningRate());
        Assert.AreEqual(0.001, TrsmiOptions.Simulation("RNA", "ADT", "ATAC").ResolvedLearningRate());
        Assert.AreEqual(0.001, new TrsmiOptions { ModalityColumns = new[] { "RNA", "ADT", "ATAC" } }.ResolvedLearningRate());
        CollectionAssert.AreEqual(paper.ModalityColumns, simulation.ModalityColumns);
        foreach (var property in typeof(TrsmiOptions).GetProperties())
        {
            if (property.Name is nameof(TrsmiOptions.SpatialNeighbors) or nameof(TrsmiOptions.ModalityColumns) or nameof(TrsmiOptions.LearningRate)) continue;
            var a = property.GetValue(paper);
            var b = property.GetValue(simulation);
            if (a is System.Collections.IEnumerable ea && b is System.Collections.IEnumerable eb)
                CollectionAssert.AreEqual(ea.Cast<object>().ToList(), eb.Cast<object>().ToList(), property.Name);
            else
                Assert.AreEqual(a, b, property.Name);
        }
    }
}
