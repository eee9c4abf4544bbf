using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Cli.Commands;

public sealed class SimulateCommand : ICommand
{
    public string Name => "simulate";
    public string Summary => "write simulated RNA+ADT+ATAC sections (SpatialGlue's ggblocks triplet) as h5ad + truth.csv";
    public string Help => """
        spatialomics simulate --out DIR [--seed N] [--side 36] [--sections N]

        Simulates the SpatialGlue triple-omics benchmark (NSF 'ggblocks': 4 block patterns + background = 5 domains,
        RNA 1000 / ADT 100 / ATAC 1000 features, negative-binomial counts) and writes, per section,
        adata_RNA.h5ad, adata_ADT.h5ad, adata_ATAC.h5ad (X = values as SpatialGlue ships them, layers/counts =
        counts, obsm/spatial, obs/domain) and truth.csv (spot,domain).

          --out DIR        output folder (created); with --sections N > 1 each section goes to DIR/section_<k>
          --seed N         loadings / factor seed (default 101, the seed of SpatialGlue's shipped data)
          --side S         grid side, S×S spots (default 36 → 1296 spots; at least 36)
          --sections N     number of sections sharing loadings, each with its own noise (default 1)
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var a = new ArgumentReader(Name, args, new HashSet<string> { "--out", "--seed", "--side", "--sections" }, new HashSet<string>());
        string outDir = a.Required("--out");
        var options = new SpatialSimulatorOptions
        {
            Seed = a.Int("--seed", 101, 0),
            Side = a.Int("--side", 36, 36, 46340),
        };
        int count = a.Int("--sections", 1, 1, 1000);
        var sections = SpatialSimulator.SimulateSections(options, count);
        for (int k = 0; k < sections.Count; k++)
        {
            string dir = count == 1 ? outDir : Path.Combine(outDir, $"section_{k}");
            var s = sections[k].Section;
            var paths = SimulationFiles.Write(sections[k], dir);
            console.Info($"section {k}: {s.SpotCount} spots, {string.Join(", ", s.Modalities.Select(m => $"{m.Name} {m.FeatureCount}"))} → {Path.GetFullPath(dir)}" +
                $" ({string.Join(", ", paths.Select(Path.GetFileName))})");
        }
        return SpatialOmicsTool.Ok;
    }
}
