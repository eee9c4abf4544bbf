using System.Diagnostics;
using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.Plotting;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Cli.Commands;

public sealed class ClusterCommand : ICommand
{
    public string Name => "cluster";
    public string Summary => "preprocess a section, train PRAGA / CRCT / TRSMI and write spatial domains";
    public string Help => $"""
        spatialomics cluster --input RNA=FILE --input ADT=FILE [--input ATAC=FILE] --method {string.Join("|", TrainerFactory.Methods)}
                             --clusters K --out result.h5ad [--preset NAME] [--epochs N] [--seed S] [--device auto|cpu|cuda]
                             [--layer NAME] [--disable LIST] [--batch-size N] [--mini-batch-above N]
                             [--save-model model.zip] [--truth FILE.csv [--truth-column COL]]
                             [--metrics-json FILE] [--plot domains.png] [--plot-embedding emb.png] [--plot-loss loss.png]

        Reads one .h5ad per modality (spots matched by id; coordinates from obsm/spatial), preprocesses, trains the
        chosen method and writes result.h5ad (obs/cluster, obsm/embedding, obsm/spatial) and result.csv (spot,cluster).
          --preset NAME     PRAGA data type: 10x, SPOTS, Stereo-CITE-seq, Spatial-epigenome-transcriptome, Simulation
                            (its preprocessing and training settings). Without it, preprocessing follows the modality
                            names (RNA: normalise, log1p, HVG, scale, PCA; ADT: CLR, scale, PCA; ATAC: TF-IDF + LSI)
                            and training uses PRAGA's Simulation settings for three modalities, 10x settings otherwise.
          --layer NAME      read this layer instead of X from every file (e.g. counts)
          --epochs N        override the preset's epoch count
          --seed S          seed for every random draw (default 2024); same seed → same labels on the same machine
          --disable LIST    ablations, comma-separated. crct: aug-recon, aug-cluster (both = PRAGA, as in
                            the paper's Table 5); trsmi: rpr, align, msappnp, schedbeta
          --batch-size N    spots per mini-batch (default praga/crct 65536, trsmi 16384; trsmi trains each block on
                            the subgraph it induces and aligns within it, O(N·N_batch) per epoch)
          --mini-batch-above N
                            train in mini-batches when the section has more spots than this (default 200000;
                            0 = always). Smaller sections train full-batch.
          --save-model FILE save the fitted pipeline (preprocessing + trainer) as an ML.NET model zip for `score`
          --truth FILE.csv  labels (header row, first column spot id) → metrics printed and stored in uns
          --plot FILE       PNG map of the domains (beside the truth when given); --plot-embedding, --plot-loss likewise
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var a = new ArgumentReader(Name, args,
            new HashSet<string>(SectionJob.InputOptions.Concat(SectionJob.OutputOptions)
                .Concat(new[] { "--method", "--clusters", "--preset", "--epochs", "--seed", "--device", "--save-model", "--plot-loss", "--disable", "--batch-size", "--mini-batch-above" })),
            new HashSet<string>());
        string method = a.Choice("--method", "crct", TrainerFactory.Methods.Concat(new[] { "praga", "crct", "trsmi" }).Distinct().ToArray());
        if (!TrainerFactory.Methods.Contains(method))
            throw new CliUsageException($"cluster: method '{method}' is not available in this build (available: {string.Join(", ", TrainerFactory.Methods)}).");
        int clusters = a.Int("--clusters", 0, 1, 1000);
        if (clusters == 0) throw new CliUsageException("cluster: option '--clusters' is required (the number of spatial domains K).");
        string? presetName = a.Optional("--preset");
        PragaDataType? preset = presetName is null ? null : ParsePreset(presetName);
        int? epochs = a.OptionalInt("--epochs", 0, 100000);
        int seed = a.Int("--seed", 2024);
        string device = a.Choice("--device", "auto", "auto", "cpu", "cuda");
        int? batchSize = a.OptionalInt("--batch-size", 1);
        int? miniBatchAbove = a.OptionalInt("--mini-batch-above", 0);
        string? saveModel = a.Optional("--save-model");
        string? plotLoss = a.Optional("--plot-loss");
        var disable = new HashSet<string>(a.All("--disable").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            StringComparer.OrdinalIgnoreCase);
        var known = TrainerFactory.Ablations[method];
        foreach (var d in disable)
            if (!known.Contains(d, StringComparer.OrdinalIgnoreCase))
                throw new CliUsageException($"cluster: --disable {d}: {method} has no such component" +
                    (known.Length == 0 ? "." : $" (it has: {string.Join(", ", known)})."));
        a.Required("--out");

        var loaded = SectionJob.Load(a, console);
        var section = loaded.Section;
        var ml = new MLContext(seed: seed);
        ModelPersistence.Register(ml);

        IEstimator<ITransformer> preprocessing;
        string[] featureColumns;
        if (preset is PragaDataType type)
        {
            preprocessing = PragaPresets.Build(ml, type);
            var columns = new PragaPresetColumns();
            featureColumns = PragaPresets.RequiredColumns(type).Select(c => c == columns.Rna ? columns.RnaFeatures : c == columns.Adt ? columns.AdtFeatures : columns.AtacFeatures).ToArray();
        }
        else
        {
            var counts = section.Modalities.ToDictionary(m => m.Name, m => m.FeatureCount);
            preprocessing = ModalityPreprocessing.Build(ml, counts);
            featureColumns = section.Modalities.Select(m => ModalityPreprocessing.FeatureColumn(m.Name)).ToArray();
        }

        var progress = new TrainingProgress(console);
        var trainer = TrainerFactory.Create(ml, method, new TrainerFactory.Settings(featureColumns, clusters, preset, epochs, seed, device, disable)
        {
            BatchSize = batchSize, MiniBatchAbove = miniBatchAbove,
        }, progress);
        var data = section.ToDataView();
        var clock = Stopwatch.StartNew();
        var model = preprocessing.Append(trainer).Fit(data);
        var scored = model.Transform(data);
        progress.Finish($"{method} trained in {SectionJob.Seconds(clock.Elapsed)}");

        SectionJob.WriteOutputs(ml, a, scored, section, method, console, new Dictionary<string, object>
        {
            ["preset"] = presetName ?? "by-modality", ["clusters"] = clusters, ["seed"] = seed,
        });
        if (saveModel is not null)
        {
            IO.AtomicFile.Write(saveModel, s => ml.Model.Save(model, data.Schema, s));
            console.Info($"wrote {saveModel}");
        }
        if (plotLoss is not null && progress.History.Count > 0)
        {
            LossCurvePlot.Save(plotLoss, progress.History.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
                new PlotOptions { Title = $"{method.ToUpperInvariant()} training loss" });
            console.Info($"wrote {plotLoss}");
        }
        return SpatialOmicsTool.Ok;
    }

    private static PragaDataType ParsePreset(string name)
    {
        try { return PragaPresets.Parse(name); }
        catch (ArgumentException e) { throw new CliUsageException($"cluster: --preset: {e.Message}"); }
    }
}
