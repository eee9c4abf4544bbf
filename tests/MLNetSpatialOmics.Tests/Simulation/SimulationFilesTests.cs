using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Simulation;

[TestClass]
public class SimulationFilesTests
{
    [TestMethod]
    public void SectionsRoundTripThroughH5adAndTruthCsv()
    {
        var dir = Directory.CreateTempSubdirectory("sim-files-");
        try
        {
            var sections = SpatialSimulator.SimulateSections(new SpatialSimulatorOptions { Side = 12, ShuffleSpots = true }, 2);
            var written = SimulationFiles.WriteSections(sections, dir.FullName);
            Assert.HasCount(8, written);
            for (int k = 0; k < 2; k++)
            {
                var sim = sections[k];
                string folder = Path.Combine(dir.FullName, $"section_{k}");
                CollectionAssert.AreEquivalent(new[] { "adata_RNA.h5ad", "adata_ADT.h5ad", "adata_ATAC.h5ad", "truth.csv" },
                    Directory.GetFiles(folder).Select(Path.GetFileName).ToArray(), "no temporary files remain");
                foreach (var m in sim.Section.Modalities)
                {
                    var ad = H5adReader.Read(Path.Combine(folder, $"adata_{m.Name}.h5ad"));
                    CollectionAssert.AreEqual(sim.Section.SpotIds, ad.ObsNames);
                    CollectionAssert.AreEqual(m.FeatureNames, ad.VarNames);
                    // Values are integers, so the float32 storage is exact.
                    CollectionAssert.AreEqual(m.ToDense().Data, ad.X!.ToDense().Data, $"{m.Name} X");
                    CollectionAssert.AreEqual(sim.Counts[m.Name].ToDense().Data, ad.Layers["counts"].ToDense().Data, $"{m.Name} counts");
                    var spatial = ad.Obsm["spatial"];
                    for (int i = 0; i < sim.Section.SpotCount; i++)
                    {
                        Assert.AreEqual(sim.Section.X[i], spatial[i, 0], 1e-6);
                        Assert.AreEqual(sim.Section.Y[i], spatial[i, 1], 1e-6);
                    }
                    CollectionAssert.AreEqual(sim.Section.Truth, ad.Obs["domain"].ToStrings());
                }
                var lines = File.ReadAllLines(Path.Combine(folder, "truth.csv"));
                Assert.AreEqual("spot,domain", lines[0]);
                CollectionAssert.AreEqual(sim.Section.SpotIds.Select((id, i) => $"{id},{sim.Domains[i]}").ToArray(), lines.Skip(1).ToArray());
            }
        }
        finally { dir.Delete(recursive: true); }
    }
}
