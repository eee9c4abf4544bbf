using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Scoring;

namespace MLNetSpatialOmics.Cli.Commands;

public sealed class ScoreCommand : ICommand
{
    public string Name => "score";
    public string Summary => "apply a saved model (from cluster --save-model) to a new section, without retraining";
    public string Help => """
        spatialomics score --model model.zip --input RNA=FILE --input ADT=FILE [--input ATAC=FILE] --out result.h5ad
                           [--layer NAME] [--truth FILE.csv [--truth-column COL]] [--metrics-json FILE]
                           [--plot domains.png] [--plot-embedding emb.png]

        Features are matched to the training section by name (missing ones are zero-filled with a warning), the new
        section's graphs are built, it is embedded with the trained weights and assigned to the trained clusters, so
        cluster ids mean the same thing as in the training section.
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var a = new ArgumentReader(Name, args,
            new HashSet<string>(SectionJob.InputOptions.Concat(SectionJob.OutputOptions).Append("--model")), new HashSet<string>());
        string modelPath = a.Required("--model");
        a.Required("--out");
        var loaded = SectionJob.Load(a, console);
        var ml = new MLContext();
        // The batch scorer checks that the section has every column the model reads before running it.
        var scorer = SectionScorer.Load(ml, modelPath);
        var result = scorer.Score(loaded.Section);
        var scored = result.Data;
        console.Info($"scored {loaded.Section.SpotCount} spots with {modelPath} in {SectionJob.Seconds(result.Elapsed)}");
        SectionJob.WriteOutputs(ml, a, scored, loaded.Section, "score", console, new Dictionary<string, object> { ["model"] = Path.GetFileName(modelPath) });
        return SpatialOmicsTool.Ok;
    }
}
