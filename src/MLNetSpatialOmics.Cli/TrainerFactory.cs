using Microsoft.ML;
using MLNetSpatialOmics.TorchSharp;
using MLNetSpatialOmics.TorchSharp.Crct;
using MLNetSpatialOmics.TorchSharp.Praga;
using MLNetSpatialOmics.TorchSharp.Trsmi;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Cli;

/// <summary>Builds the trainer for <c>--method</c> with the hyper-parameters of the data type (preset) being run.</summary>
public static class TrainerFactory
{
    public static IReadOnlyList<string> Methods { get; } = new[] { "praga", "crct", "trsmi" };

    /// <param name="Disable">ablation switches to turn off (CRCT: aug-recon, aug-cluster; TRSMI: rpr, align, msappnp, schedbeta).</param>
    public sealed record Settings(string[] FeatureColumns, int Clusters, PragaDataType? DataType, int? Epochs, int Seed, string Device,
        IReadOnlySet<string>? Disable = null)
    {
        /// <summary>Spots per mini-batch (PRAGA/CRCT/TRSMI); null = the trainer's default.</summary>
        public int? BatchSize { get; init; }
        /// <summary>Mini-batch training above this many spots (PRAGA/CRCT/TRSMI); null = the trainer's default.</summary>
        public int? MiniBatchAbove { get; init; }

        internal void ApplyMiniBatch(PragaOptions o)
        {
            if (BatchSize is int b) o.BatchSize = b;
            if (MiniBatchAbove is int t) o.MiniBatchThreshold = t;
        }

        internal void ApplyMiniBatch(TrsmiOptions o)
        {
            if (BatchSize is int b) o.BatchSize = b;
            if (MiniBatchAbove is int t) o.MiniBatchThreshold = t;
        }
    }

    /// <summary>The ablation switches each method understands (for --disable).</summary>
    public static IReadOnlyDictionary<string, string[]> Ablations { get; } = new Dictionary<string, string[]>
    {
        ["praga"] = Array.Empty<string>(),
        ["crct"] = new[] { "aug-recon", "aug-cluster" },
        ["trsmi"] = new[] { "rpr", "align", "msappnp", "schedbeta" },
    };

    public static IEstimator<ITransformer> Create(MLContext context, string method, Settings s, TrainingProgress progress)
    {
        switch (method)
        {
            case "praga":
                var o = IsSimulationLike(s) ? PragaOptions.Simulation(s.FeatureColumns) : PragaOptions.TenX(s.FeatureColumns);
                o.Clusters = s.Clusters;
                o.Seed = s.Seed;
                o.Device = s.Device;
                if (s.Epochs is int e) o.Epochs = e;
                s.ApplyMiniBatch(o);
                o.Progress = p => progress.Report(p.Epoch, p.Epochs, new[]
                {
                    ("total", p.Total), ("recon", p.Reconstruction), ("proto", p.Prototype), ("graph", p.Graph),
                });
                return context.Clustering.Trainers.Praga(o);
            case "crct":
                var c = CrctOptions.ForDataset(CrctDataset(s), s.FeatureColumns);
                c.Praga.Clusters = s.Clusters;
                c.Praga.Seed = s.Seed;
                c.Praga.Device = s.Device;
                if (s.Epochs is int ce) c.Praga.Epochs = ce;
                s.ApplyMiniBatch(c.Praga);
                var crctOff = s.Disable ?? new HashSet<string>();
                // Table 5's rows: both augmentations = CRCT, only in reconstruction = L_aug, only in the cluster term = L_cluster, none = PRAGA.
                bool recon = !crctOff.Contains("aug-recon"), cluster = !crctOff.Contains("aug-cluster");
                c.Variant = (recon, cluster) switch
                {
                    (true, true) => CrctVariant.Full,
                    (true, false) => CrctVariant.AugmentedReconstruction,
                    (false, true) => CrctVariant.AugmentedCluster,
                    _ => CrctVariant.Praga,
                };
                c.Progress = p => progress.Report(p.Epoch, p.Epochs, new[]
                {
                    ("total", p.Total), ("recon", p.Reconstruction), ("aug", p.Augmented), ("graph", p.Graph), ("cluster", p.Cluster),
                });
                return context.Clustering.Trainers.Crct(c);
            case "trsmi":
                var t = IsSimulationLike(s) ? TrsmiOptions.Simulation(s.FeatureColumns) : new TrsmiOptions { ModalityColumns = s.FeatureColumns };
                t.Clusters = s.Clusters;
                t.Seed = s.Seed;
                t.Device = s.Device;
                if (s.Epochs is int te) t.Epochs = te;
                s.ApplyMiniBatch(t);
                var off = s.Disable ?? new HashSet<string>();
                t.UseRpr = !off.Contains("rpr");
                t.UseAlignment = !off.Contains("align");
                t.UseMultiScaleAppnp = !off.Contains("msappnp");
                t.UseScheduledGate = !off.Contains("schedbeta");
                t.Progress = p => progress.Report(p.Epoch, p.Epochs, new[]
                {
                    ("total", p.Total), ("recon", p.Reconstruction), ("proto", p.Prototype), ("graph", p.Graph), ("beta", p.Beta),
                });
                return context.Clustering.Trainers.Trsmi(t);
            default:
                throw new CliUsageException($"cluster: --method must be one of {string.Join("|", Methods)}, got '{method}'.");
        }
    }

    /// <summary>CRCT's Table 1 row for the data type being run.</summary>
    private static string CrctDataset(Settings s) => s.DataType switch
    {
        PragaDataType.TenX => "hln",
        PragaDataType.Spots => "spots",
        PragaDataType.StereoCiteSeq => "stereo-cite-seq",
        PragaDataType.SpatialEpigenomeTranscriptome => "mb",
        PragaDataType.Simulation => "simulation",
        _ => IsSimulationLike(s) ? "simulation" : "hln",
    };

    /// <summary>PRAGA's "Simulation" settings for the triplet data type (or three modalities without a preset), else its 10x settings.</summary>
    private static bool IsSimulationLike(Settings s) =>
        s.DataType is PragaDataType.Simulation || (s.DataType is null && s.FeatureColumns.Length >= 3);
}
