using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// Preprocessing chosen by modality name when no PRAGA data type is given: <c>RNA</c> → drop genes seen in fewer than
/// 10 spots, normalise to 1e4, log1p, seurat_v3 HVG (3000, on counts), scale, PCA; <c>ADT</c> → CLR, scale, PCA;
/// <c>ATAC</c> → TF-IDF + LSI (PRAGA's variant). Dimensions follow PRAGA: n_ADT − 1 when proteins are measured (the
/// 10x recipe), else 50 (the epigenome recipe); never more than a modality's feature count allows.
/// Outputs are named <c>{modality}_feat</c>, as the presets name them.
/// </summary>
public static class ModalityPreprocessing
{
    public static readonly IReadOnlyList<string> KnownModalities = new[] { "RNA", "ADT", "ATAC" };

    public static string FeatureColumn(string modality) => modality + "_feat";

    /// <param name="featureCounts">modality name → number of features in the section the pipeline will be fitted on.</param>
    public static IEstimator<ITransformer> Build(MLContext context, IReadOnlyDictionary<string, int> featureCounts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(featureCounts);
        if (featureCounts.Count == 0) throw new ArgumentException("no modality to preprocess.", nameof(featureCounts));
        foreach (var name in featureCounts.Keys)
            if (!KnownModalities.Contains(name))
                throw new ArgumentException($"no default preprocessing for modality '{name}': name modalities {string.Join(", ", KnownModalities)} " +
                    "or choose a PRAGA data type preset (10x, SPOTS, Stereo-CITE-seq, Spatial-epigenome-transcriptome, Simulation).", nameof(featureCounts));

        int dims = featureCounts.TryGetValue("ADT", out int nAdt) ? Math.Max(2, nAdt - 1) : 50;
        IHostEnvironment env = context;
        var steps = new List<IEstimator<ITransformer>>();
        foreach (var (name, features) in featureCounts)
        {
            string output = FeatureColumn(name);
            int components = Math.Max(1, Math.Min(dims, features - 1));
            switch (name)
            {
                case "RNA":
                    steps.Add(new FilterFeaturesEstimator(env, new FilterFeaturesOptions { InputColumnName = name, OutputColumnName = output + "_filtered", MinSpots = 10 }));
                    steps.Add(new NormalizeTotalEstimator(env, new NormalizeTotalOptions { InputColumnName = output + "_filtered", OutputColumnName = output + "_norm" }));
                    steps.Add(new Log1pEstimator(env, new Log1pOptions { InputColumnName = output + "_norm", OutputColumnName = output + "_log" }));
                    steps.Add(new SelectHighlyVariableFeaturesEstimator(env, new SelectHighlyVariableFeaturesOptions
                    {
                        InputColumnName = output + "_log", OutputColumnName = output + "_hvg", StatisticsColumnName = output + "_filtered",
                        Flavor = HvgFlavor.SeuratV3, TopFeatureCount = 3000,
                    }));
                    steps.Add(new ScaleEstimator(env, new ScaleOptions { InputColumnName = output + "_hvg", OutputColumnName = output + "_scaled" }));
                    steps.Add(new PcaEstimator(env, new PcaOptions { InputColumnName = output + "_scaled", OutputColumnName = output, Components = components }));
                    break;
                case "ADT":
                    steps.Add(new ClrEstimator(env, new ClrOptions { InputColumnName = name, OutputColumnName = output + "_clr" }));
                    steps.Add(new ScaleEstimator(env, new ScaleOptions { InputColumnName = output + "_clr", OutputColumnName = output + "_scaled" }));
                    steps.Add(new PcaEstimator(env, new PcaOptions { InputColumnName = output + "_scaled", OutputColumnName = output, Components = components }));
                    break;
                case "ATAC":
                    steps.Add(new TfIdfLsiEstimator(env, new TfIdfLsiOptions { InputColumnName = name, OutputColumnName = output, Components = Math.Max(1, Math.Min(components, features - 2)) }));
                    break;
            }
        }
        var chain = new EstimatorChain<ITransformer>();
        foreach (var s in steps) chain = chain.Append(s);
        return chain;
    }
}
