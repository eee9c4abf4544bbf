using Microsoft.ML;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Trsmi;

/// <summary>A preprocessed section as an IDataView plus its ground truth.</summary>
internal sealed record BenchmarkSection(string Name, IDataView Data, IReadOnlyList<string?> Truth, int Clusters, string[] Modalities, bool TenX);

/// <summary>The sections the TRSMI benchmarks run on, loaded and preprocessed through the library as PRAGA's code does.</summary>
internal static class TrsmiBenchmarkData
{
    private static string DataRoot() =>
        Environment.GetEnvironmentVariable("SPATIALOMICS_DATA") is { Length: > 0 } d ? d : "/work/shared/data";

    /// <summary>SpatialGlue triplet simulation with PRAGA's "Simulation" preset; <paramref name="modalities"/> picks its outputs.</summary>
    public static BenchmarkSection Triplet(MLContext context, string[] modalities)
    {
        var dir = Path.Combine(DataRoot(), "simulation_spatialglue_triplet");
        var load = new SectionLoadOptions { TruthCsvPath = Path.Combine(dir, "derived_GT_labels.csv"), TruthCsvColumn = "domain" };
        foreach (var m in new[] { "RNA", "ADT", "ATAC" }) load.Add(m, Path.Combine(dir, $"adata_{m}.h5ad"));
        var section = SectionLoader.Load(load).Section;
        var raw = section.ToDataView();
        var data = PragaPresets.Build(context, PragaDataType.Simulation).Fit(raw).Transform(raw);
        var truth = section.Truth!;
        return new BenchmarkSection("triplet " + string.Join("+", modalities), data, truth, truth.Distinct().Count(),
            modalities.Select(m => m + "_feat").ToArray(), TenX: false);
    }

    /// <summary>Human lymph node A1, ADT only, PRAGA's "10x" ADT recipe: CLR → scale → PCA to n_ADT − 1.</summary>
    public static BenchmarkSection HumanLymphNodeAdt(MLContext context)
    {
        var dir = Path.Combine(DataRoot(), "hln_a1");
        var load = new SectionLoadOptions { TruthCsvPath = Path.Combine(dir, "derived_labels.csv"), TruthCsvColumn = "label_id" };
        load.Add("ADT", Path.Combine(dir, "adata_ADT.h5ad"));
        var section = SectionLoader.Load(load).Section;
        var raw = section.ToDataView();
        var pipeline = new ClrEstimator(context, new ClrOptions { InputColumnName = "ADT", OutputColumnName = "ADT_clr" })
            .Append(new ScaleEstimator(context, new ScaleOptions { InputColumnName = "ADT_clr", OutputColumnName = "ADT_scaled" }))
            .Append(new PcaEstimator(context, new PcaOptions
            {
                InputColumnName = "ADT_scaled", OutputColumnName = "ADT_feat", Components = 1, ComponentsFromColumn = "ADT", ComponentsOffset = -1,
            }));
        var data = pipeline.Fit(raw).Transform(raw);
        var truth = section.Truth!;
        return new BenchmarkSection("hln_a1 ADT", data, truth, truth.Where(t => t is not null).Distinct().Count(), new[] { "ADT_feat" }, TenX: true);
    }
}
