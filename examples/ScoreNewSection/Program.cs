using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.Scoring;
using ScoreNewSection;

// Train once on section A, save the fitted pipeline as an ML.NET zip, reload it in a fresh MLContext and score other
// sections of the same tissue without retraining. `score ...` is the one-section mode the tests run in a new process.
if (args.Length > 0 && args[0] == "score") return ProbeCommand.Run(args);

int side = Defaults.Side, divisor = Defaults.FeatureDivisor, epochs = Defaults.Epochs;
double learningRate = Defaults.LearningRate;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value.");
    switch (args[i])
    {
        case "--side": side = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--features-divisor": divisor = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--epochs": epochs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--lr": learningRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--full": side = 36; divisor = 1; epochs = 200; learningRate = 0.001; break; // SpatialGlue's triplet size, PRAGA's Simulation settings
        default:
            Console.Error.WriteLine("usage: ScoreNewSection [--side N] [--features-divisor N] [--epochs N] [--lr X] [--full]\n" +
                "       ScoreNewSection score MODEL.zip SECTION_SEED SIDE FEATURE_DIVISOR OUT.tsv");
            return 2;
    }
}
var modelPath = Path.Combine(Path.GetTempPath(), $"ScoreNewSection-model-{Environment.ProcessId}.zip");

var watch = Stopwatch.StartNew();
var train = new MLContext(seed: 1);
var a = Scenario.Section(sectionSeed: 1, shuffle: false, side, divisor);
var trainingView = a.Section.ToDataView();
Console.WriteLine($"Section A: {a.Section.SpotCount} spots, modalities {string.Join(", ", a.Section.Modalities.Select(m => $"{m.Name} ({m.FeatureCount})"))}");
var model = Scenario.Pipeline(train, epochs, learningRate).Fit(trainingView);
train.Model.Save(model, trainingView.Schema, modelPath);
Console.WriteLine($"Trained preprocessing + PRAGA ({epochs} epochs, lr {learningRate}) in {watch.Elapsed.TotalSeconds:F1} s; saved {new FileInfo(modelPath).Length / 1024} KiB to {modelPath}");

// A fresh MLContext: nothing from training is shared but the zip.
var scorer = SectionScorer.Load(new MLContext(seed: 2), modelPath);
Console.WriteLine($"Reloaded; the model reads columns {string.Join(", ", scorer.RequiredColumns)}");
var onA = scorer.Score(a.Section);
var domainOfCluster = onA.Labels.Select((l, i) => (l, t: a.Section.Truth![i]!)).GroupBy(p => p.l)
    .ToDictionary(g => g.Key, g => g.GroupBy(p => p.t).OrderByDescending(h => h.Count()).First().Key);

var sections = new[] { 2, 3, 4 }.Select(s => Scenario.Section(s, shuffle: true, side, divisor)).ToList();
var scored = scorer.ScoreAll(sections.Select(s => s.Section));
Console.WriteLine();
Console.WriteLine($"{"section",-22} {"spots",6} {"ARI",7} {"NMI",7} {"same-id acc",11} {"seconds",8}");
Print(onA, a.Section);
for (int k = 0; k < scored.Count; k++) Print(scored[k], sections[k].Section);
Console.WriteLine();
Console.WriteLine("same-id acc: share of spots whose raw cluster id maps (through section A's id → domain table) to their true domain.");
Console.WriteLine($"Total {watch.Elapsed.TotalSeconds:F1} s");
return 0;

void Print(ScoredSection s, SpatialSection section)
{
    double acc = s.Labels.Where((l, i) => domainOfCluster.TryGetValue(l, out var d) && d == section.Truth![i]).Count() / (double)s.Labels.Length;
    Console.WriteLine($"{s.Name,-22} {s.Labels.Length,6} {s.Metrics!.AdjustedRandIndex,7:F4} {s.Metrics.NormalizedMutualInformation,7:F4} {acc,11:F4} {s.Elapsed.TotalSeconds,8:F1}");
}

/// <summary>A size that trains in seconds (576 spots, RNA 500 / ADT 50 / ATAC 500) with PRAGA's Simulation settings;
/// <c>--full</c> is the published triplet size (1296 spots), the README figure.</summary>
internal static class Defaults
{
    public const int Side = 24;
    public const int FeatureDivisor = 2;
    public const int Epochs = 200;
    public const double LearningRate = 0.001;
}
