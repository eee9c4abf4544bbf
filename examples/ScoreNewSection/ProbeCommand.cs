using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Scoring;

namespace ScoreNewSection;

/// <summary>
/// <c>score MODEL.zip SECTION_SEED SIDE FEATURE_DIVISOR OUT.tsv</c>: loads a saved model in this (fresh) process, scores
/// the shuffled simulated section and writes spot id, cluster id and embedding per row (round-trip number format).
/// The test suite runs it to prove that a zip reloads in another process with the same outputs.
/// </summary>
internal static class ProbeCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine("usage: ScoreNewSection score MODEL.zip SECTION_SEED SIDE FEATURE_DIVISOR OUT.tsv");
            return 2;
        }
        int seed = int.Parse(args[2], CultureInfo.InvariantCulture);
        int side = int.Parse(args[3], CultureInfo.InvariantCulture);
        int divisor = int.Parse(args[4], CultureInfo.InvariantCulture);
        var scorer = SectionScorer.Load(new MLContext(seed: 3), args[1]);
        var scored = scorer.Score(Scenario.Section(seed, shuffle: true, side, divisor).Section);
        var embedding = DataViewReader.ReadVectorColumn(scored.Data, SectionColumns.Embedding);
        var lines = new List<string>(scored.Labels.Length);
        for (int i = 0; i < scored.Labels.Length; i++)
            lines.Add(string.Join('\t', new[] { scored.SpotIds![i], scored.Labels[i].ToString(CultureInfo.InvariantCulture) }
                .Concat(embedding.RowReadOnly(i).ToArray().Select(v => ((float)v).ToString("R", CultureInfo.InvariantCulture)))));
        var tmp = args[5] + ".tmp";
        File.WriteAllLines(tmp, lines);
        File.Move(tmp, args[5], overwrite: true);
        return 0;
    }
}
