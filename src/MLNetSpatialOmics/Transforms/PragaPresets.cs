using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Transforms;

/// <summary>PRAGA's data types (its <c>--data_type</c> argument), each with its own preprocessing recipe.</summary>
public enum PragaDataType
{
    /// <summary>"10x" (human lymph node): RNA + ADT.</summary>
    TenX,
    /// <summary>"SPOTS" (mouse spleen): RNA + ADT, same recipe as 10x.</summary>
    Spots,
    /// <summary>"Stereo-CITE-seq" (mouse thymus): RNA + ADT, no scaling.</summary>
    StereoCiteSeq,
    /// <summary>"Spatial-epigenome-transcriptome" (mouse brain): RNA + ATAC.</summary>
    SpatialEpigenomeTranscriptome,
    /// <summary>"Simulation" (SpatialGlue's triplet): RNA + ADT + ATAC.</summary>
    Simulation,
}

/// <summary>Column names a preset reads (raw counts per modality) and writes (the per-modality features a trainer uses).</summary>
public sealed class PragaPresetColumns
{
    public string Rna { get; set; } = "RNA";
    public string Adt { get; set; } = "ADT";
    public string Atac { get; set; } = "ATAC";
    public string RnaFeatures { get; set; } = "RNA_feat";
    public string AdtFeatures { get; set; } = "ADT_feat";
    public string AtacFeatures { get; set; } = "ATAC_feat";
}

/// <summary>
/// Ready-made preprocessing pipelines that reproduce what PRAGA's released <c>main.py</c> does per data type, as one
/// <see cref="IEstimator{TTransformer}"/> chain over a section's raw count columns. Intermediate columns are named
/// <c>{output}_{step}</c>. Where PRAGA filters spots (<c>filter_cells(min_genes)</c> for Stereo-CITE-seq and the
/// epigenome data) the preset keeps every spot: transforms here never drop rows, so filter spots before if needed.
/// PCA uses the exact solver up to its work limit (PRAGA's sklearn call uses randomized SVD there; the exact result is
/// what that approximates).
/// </summary>
public static class PragaPresets
{
    /// <summary>Parses PRAGA's spelling: "10x", "SPOTS", "Stereo-CITE-seq", "Spatial-epigenome-transcriptome", "Simulation".</summary>
    public static PragaDataType Parse(string dataType) => dataType switch
    {
        "10x" => PragaDataType.TenX,
        "SPOTS" => PragaDataType.Spots,
        "Stereo-CITE-seq" => PragaDataType.StereoCiteSeq,
        "Spatial-epigenome-transcriptome" => PragaDataType.SpatialEpigenomeTranscriptome,
        "Simulation" => PragaDataType.Simulation,
        _ => throw new ArgumentException($"unknown PRAGA data type '{dataType}'; expected one of: 10x, SPOTS, Stereo-CITE-seq, Spatial-epigenome-transcriptome, Simulation.", nameof(dataType)),
    };

    /// <summary>The modality columns a data type needs.</summary>
    public static IReadOnlyList<string> RequiredColumns(PragaDataType type, PragaPresetColumns? columns = null)
    {
        var c = columns ?? new PragaPresetColumns();
        return type switch
        {
            PragaDataType.SpatialEpigenomeTranscriptome => new[] { c.Rna, c.Atac },
            PragaDataType.Simulation => new[] { c.Rna, c.Adt, c.Atac },
            _ => new[] { c.Rna, c.Adt },
        };
    }

    public static IEstimator<ITransformer> Build(MLContext context, string dataType, PragaPresetColumns? columns = null, Action<string>? progress = null) =>
        Build(context, Parse(dataType), columns, progress);

    /// <param name="progress">optional: receives one line per fitted step with its time.</param>
    public static IEstimator<ITransformer> Build(MLContext context, PragaDataType type, PragaPresetColumns? columns = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = columns ?? new PragaPresetColumns();
        IHostEnvironment env = context;
        var steps = new List<IEstimator<ITransformer>>();
        switch (type)
        {
            case PragaDataType.TenX:
            case PragaDataType.Spots:
                // Protein first: the RNA PCA takes its size from the ADT column (n_ADT − 1).
                steps.Add(new ClrEstimator(env, new ClrOptions { InputColumnName = c.Adt, OutputColumnName = c.AdtFeatures + "_clr" }));
                steps.Add(new ScaleEstimator(env, new ScaleOptions { InputColumnName = c.AdtFeatures + "_clr", OutputColumnName = c.AdtFeatures + "_scaled" }));
                steps.Add(Pca(env, c.AdtFeatures + "_scaled", c.AdtFeatures, sizeColumn: c.Adt, offset: -1));
                AddRna(steps, env, c, minSpots: 10);
                steps.Add(Pca(env, c.RnaFeatures + "_hvg", c.RnaFeatures, sizeColumn: c.Adt, offset: -1, standardize: true));
                break;
            case PragaDataType.StereoCiteSeq:
                steps.Add(new FilterFeaturesEstimator(env, new FilterFeaturesOptions { InputColumnName = c.Adt, OutputColumnName = c.AdtFeatures + "_filtered", MinSpots = 50 }));
                steps.Add(new ClrEstimator(env, new ClrOptions { InputColumnName = c.AdtFeatures + "_filtered", OutputColumnName = c.AdtFeatures + "_clr" }));
                steps.Add(Pca(env, c.AdtFeatures + "_clr", c.AdtFeatures, sizeColumn: c.AdtFeatures + "_filtered", offset: -1));
                AddRna(steps, env, c, minSpots: 10);
                steps.Add(Pca(env, c.RnaFeatures + "_hvg", c.RnaFeatures, sizeColumn: c.AdtFeatures + "_filtered", offset: -1));
                break;
            case PragaDataType.SpatialEpigenomeTranscriptome:
                AddRna(steps, env, c, minSpots: 10);
                steps.Add(Pca(env, c.RnaFeatures + "_hvg", c.RnaFeatures, components: 50, standardize: true));
                steps.Add(new TfIdfLsiEstimator(env, new TfIdfLsiOptions { InputColumnName = c.Atac, OutputColumnName = c.AtacFeatures, Components = 50 }));
                break;
            case PragaDataType.Simulation:
                // n_protein components for RNA and ADT; LSI with n_protein + 1, first dropped.
                steps.Add(new ClrEstimator(env, new ClrOptions { InputColumnName = c.Adt, OutputColumnName = c.AdtFeatures + "_clr" }));
                steps.Add(Pca(env, c.AdtFeatures + "_clr", c.AdtFeatures, sizeColumn: c.Adt, offset: 0));
                AddRna(steps, env, c, minSpots: 0);
                steps.Add(Pca(env, c.RnaFeatures + "_hvg", c.RnaFeatures, sizeColumn: c.Adt, offset: 0));
                steps.Add(new LsiFromColumnSizeEstimator(env, c.Atac, c.AtacFeatures, c.Adt));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unknown PRAGA data type.");
        }
        return new RequiredColumnsEstimator(RequiredColumns(type, c), type, steps, progress);
    }

    /// <summary>RNA: [filter genes] → normalise 1e4 → log1p → seurat_v3 HVG 3000 on the (filtered) counts. Where PRAGA scales
    /// RNA before its PCA, the preset's PCA standardises implicitly (identical result, see <see cref="PcaOptions.StandardizeDdof"/>),
    /// so the dense scaled RNA matrix is never materialised.</summary>
    private static void AddRna(List<IEstimator<ITransformer>> steps, IHostEnvironment env, PragaPresetColumns c, int minSpots)
    {
        string counts = c.Rna;
        if (minSpots > 0)
        {
            counts = c.RnaFeatures + "_filtered";
            steps.Add(new FilterFeaturesEstimator(env, new FilterFeaturesOptions { InputColumnName = c.Rna, OutputColumnName = counts, MinSpots = minSpots }));
        }
        steps.Add(new NormalizeTotalEstimator(env, new NormalizeTotalOptions { InputColumnName = counts, OutputColumnName = c.RnaFeatures + "_norm" }));
        steps.Add(new Log1pEstimator(env, new Log1pOptions { InputColumnName = c.RnaFeatures + "_norm", OutputColumnName = c.RnaFeatures + "_log" }));
        steps.Add(new SelectHighlyVariableFeaturesEstimator(env, new SelectHighlyVariableFeaturesOptions
        {
            InputColumnName = c.RnaFeatures + "_log", OutputColumnName = c.RnaFeatures + "_hvg", StatisticsColumnName = counts,
            Flavor = HvgFlavor.SeuratV3, TopFeatureCount = 3000,
        }));
    }

    private static PcaEstimator Pca(IHostEnvironment env, string input, string output, int components = 0, string? sizeColumn = null, int offset = 0,
        bool standardize = false) =>
        new(env, new PcaOptions
        {
            InputColumnName = input, OutputColumnName = output, Components = sizeColumn is null ? components : 1,
            ComponentsFromColumn = sizeColumn, ComponentsOffset = offset, StandardizeDdof = standardize ? 1 : null,
        });

    /// <summary>TF-IDF LSI whose output width is the width of another column (Simulation: n_protein).</summary>
    private sealed class LsiFromColumnSizeEstimator(IHostEnvironment env, string input, string output, string sizeColumn) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView data)
        {
            var col = ColumnChecks.RequireNumericVector(data.Schema, sizeColumn, "TfIdfLsi (component count)");
            int width = ((Microsoft.ML.Data.VectorDataViewType)col.Type).Size;
            return new TfIdfLsiEstimator(env, new TfIdfLsiOptions { InputColumnName = input, OutputColumnName = output, Components = width }).Fit(data);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => OutputSchemas.Append(inputSchema, input, output, "TfIdfLsi");
    }

    /// <summary>Checks up front that the section has every modality the data type needs, then fits the steps in order.</summary>
    private sealed class RequiredColumnsEstimator(IReadOnlyList<string> required, PragaDataType type, List<IEstimator<ITransformer>> steps,
        Action<string>? progress) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input)
        {
            var missing = required.Where(r => input.Schema.GetColumnOrNull(r) is null).ToArray();
            if (missing.Length > 0)
                throw new ArgumentException($"PRAGA preset {type} needs the count columns {string.Join(", ", required)}; the section lacks {string.Join(", ", missing)} " +
                    $"(its columns: {string.Join(", ", input.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
            var fitted = new List<ITransformer>();
            var data = input;
            foreach (var step in steps)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var t = step.Fit(data);
                data = t.Transform(data);
                fitted.Add(t);
                progress?.Invoke($"{type}: {Describe(step)} fitted and applied in {clock.Elapsed.TotalSeconds:F1} s");
            }
            return new TransformerChain<ITransformer>(fitted.ToArray());
        }

        private static string Describe(IEstimator<ITransformer> step) =>
            step.GetType().Name.Replace("Estimator", "", StringComparison.Ordinal);

        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            var shape = inputSchema;
            foreach (var step in steps) shape = step.GetOutputSchema(shape);
            return shape;
        }
    }
}
