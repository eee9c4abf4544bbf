using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Simulation;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Crct;

/// <summary>A preprocessed section ready for PRAGA/CRCT, with its truth and the presets both methods use on it.</summary>
internal sealed class CrctBenchmarkSection
{
    public required string Name { get; init; }
    public required IDataView Data { get; init; }
    /// <summary>Feature columns the trainers read, one per modality.</summary>
    public required string[] Modalities { get; init; }
    public required string?[] Truth { get; init; }
    public required int Clusters { get; init; }
    /// <summary>CRCT's Table 1 preset name.</summary>
    public required string CrctPreset { get; init; }
    /// <summary>PRAGA's own settings family: "simulation" or "10x".</summary>
    public required string PragaPreset { get; init; }
}

/// <summary>
/// The benchmark sections, loaded and preprocessed by the library: the SpatialGlue triplet simulation (h5ad X, PRAGA's
/// "Simulation" preset; all three modalities, or RNA+ADT) and human lymph node A1 (ADT only — its RNA is not in
/// ../shared — with the ADT half of PRAGA's "10x" preset: CLR, scale, PCA to n_ADT − 1).
/// </summary>
internal static class CrctDatasets
{
    public static IReadOnlyList<string> Names { get; } = new[] { "triplet", "triplet-rna-adt", "hln" };

    public static CrctBenchmarkSection Load(MLContext context, string name) => name switch
    {
        "triplet" => Triplet(context, name, new[] { "RNA", "ADT", "ATAC" }),
        "triplet-rna-adt" => Triplet(context, name, new[] { "RNA", "ADT" }),
        "hln" => LymphNode(context),
        Simulator => BuiltInSimulator(context),
        _ => throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", Names)}, {Simulator}."),
    };

    /// <summary>Not a paper dataset (so not in <see cref="Names"/>): the quickstart's simulated section, a check beyond the triplet.</summary>
    public const string Simulator = "simulator";

    // The quickstart's section (built-in simulator, seed 101: 1296 spots, RNA + ADT + ATAC, 5 domains), preprocessed
    // with PRAGA's Simulation preset like the triplet.
    private static CrctBenchmarkSection BuiltInSimulator(MLContext context)
    {
        var section = SpatialSimulator.Simulate(new SpatialSimulatorOptions { Seed = 101 }).Section;
        var raw = section.ToDataView();
        var data = PragaPresets.Build(context, PragaDataType.Simulation).Fit(raw).Transform(raw);
        return new CrctBenchmarkSection
        {
            Name = Simulator, Data = data, Modalities = new[] { "RNA_feat", "ADT_feat", "ATAC_feat" }, Truth = section.Truth!,
            Clusters = section.Truth!.Where(t => t is not null).Distinct().Count(), CrctPreset = "simulation", PragaPreset = "simulation",
        };
    }

    private static string DataRoot() =>
        Environment.GetEnvironmentVariable("SPATIALOMICS_DATA") is { Length: > 0 } d ? d : "/work/shared/data";

    private static CrctBenchmarkSection Triplet(MLContext context, string name, string[] modalities)
    {
        var dir = Path.Combine(DataRoot(), "simulation_spatialglue_triplet");
        var load = new SectionLoadOptions { TruthCsvPath = Path.Combine(dir, "derived_GT_labels.csv"), TruthCsvColumn = "domain" };
        foreach (var m in new[] { "RNA", "ADT", "ATAC" }) load.Add(m, Path.Combine(dir, $"adata_{m}.h5ad"));
        var section = SectionLoader.Load(load).Section;
        var raw = section.ToDataView();
        // The preset always preprocesses all three (RNA/ATAC widths come from the ADT column); RNA+ADT uses two of its outputs.
        var data = PragaPresets.Build(context, PragaDataType.Simulation).Fit(raw).Transform(raw);
        return new CrctBenchmarkSection
        {
            Name = name, Data = data, Modalities = modalities.Select(m => m + "_feat").ToArray(), Truth = section.Truth!,
            Clusters = section.Truth!.Where(t => t is not null).Distinct().Count(), CrctPreset = "simulation", PragaPreset = "simulation",
        };
    }

    private static CrctBenchmarkSection LymphNode(MLContext context)
    {
        var dir = Path.Combine(DataRoot(), "hln_a1");
        var load = new SectionLoadOptions { TruthCsvPath = Path.Combine(dir, "derived_labels.csv"), TruthCsvColumn = "label_id" };
        load.Add("ADT", Path.Combine(dir, "adata_ADT.h5ad"));
        var section = SectionLoader.Load(load).Section;
        var raw = section.ToDataView();
        IHostEnvironment env = context;
        int proteins = section.GetModality("ADT").FeatureCount;
        var pipeline = new ClrEstimator(env, new ClrOptions { InputColumnName = "ADT", OutputColumnName = "ADT_clr" })
            .Append(new ScaleEstimator(env, new ScaleOptions { InputColumnName = "ADT_clr", OutputColumnName = "ADT_scaled" }))
            .Append(new PcaEstimator(env, new PcaOptions { InputColumnName = "ADT_scaled", OutputColumnName = "ADT_feat", Components = proteins - 1 }));
        var data = pipeline.Fit(raw).Transform(raw);
        return new CrctBenchmarkSection
        {
            Name = "hln", Data = data, Modalities = new[] { "ADT_feat" }, Truth = section.Truth!,
            Clusters = section.Truth!.Where(t => t is not null).Distinct().Count(), CrctPreset = "hln", PragaPreset = "10x",
        };
    }
}
