using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Scoring;

/// <summary>Which columns a fitted pipeline reads from its input (columns that no earlier step of the pipeline produces).</summary>
public static class ModelInputs
{
    /// <summary>
    /// Input columns that the library's transformers in <paramref name="model"/> read and no earlier step produces, in
    /// pipeline order. Transformers the library does not know contribute nothing (their own errors still name columns).
    /// </summary>
    public static IReadOnlyList<string> RequiredColumns(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var required = new List<string>();
        Walk(model, produced, required);
        return required;
    }

    private static void Walk(ITransformer t, HashSet<string> produced, List<string> required)
    {
        if (t is IEnumerable<ITransformer> steps) // TransformerChain, nested chains from presets
        {
            foreach (var inner in steps) Walk(inner, produced, required);
            return;
        }
        var (reads, writes) = Columns(t);
        foreach (var c in reads)
            if (!produced.Contains(c) && !required.Contains(c)) required.Add(c);
        foreach (var c in writes) produced.Add(c);
    }

    private static (IEnumerable<string> Reads, IEnumerable<string> Writes) Columns(ITransformer t) => t switch
    {
        SectionColumnTransformer s => (new[] { s.InputColumnName }, new[] { s.OutputColumnName }),
        GraphFeaturizerTransformer g => (GraphReads(g.Options), Array.Empty<string>()),
        ClusteringHeadTransformer h => (new[] { h.FeatureColumnName }, new[] { h.PredictedLabelColumnName, h.ScoreColumnName }),
        IDeclaresInputColumns d => (d.InputColumnNames, Array.Empty<string>()),
        _ => (Array.Empty<string>(), Array.Empty<string>()),
    };

    private static IEnumerable<string> GraphReads(GraphFeaturizerOptions o) =>
        o.Kind == GraphKind.Spatial || o.InputColumn is null ? new[] { o.XColumn, o.YColumn } : new[] { o.InputColumn };
}
