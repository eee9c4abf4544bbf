using System.Text;
using System.Text.Json;

namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Everything the evaluator measures for one predicted partition against the truth. Information measures are in
/// nats and follow scikit-learn (arithmetic normalisation); F1/Jaccard are pair-counting, as PRAGA reports them.
/// Undefined values (e.g. pair precision with no predicted pair) are NaN and appear as JSON null.
/// </summary>
public sealed class SpatialClusteringMetrics
{
    /// <summary>Spots compared (both labels present).</summary>
    public long Count { get; init; }
    /// <summary>Spots left out because their truth label is missing.</summary>
    public long MissingTruthCount { get; init; }
    /// <summary>Spots left out because their predicted label is missing.</summary>
    public long MissingPredictionCount { get; init; }

    public double MutualInformation { get; init; }
    public double NormalizedMutualInformation { get; init; }
    public double AdjustedMutualInformation { get; init; }
    public double ExpectedMutualInformation { get; init; }
    public double EntropyTrue { get; init; }
    public double EntropyPredicted { get; init; }
    public double FowlkesMallows { get; init; }
    public double AdjustedRandIndex { get; init; }
    public double RandIndex { get; init; }
    public double VMeasure { get; init; }
    public double Homogeneity { get; init; }
    public double Completeness { get; init; }

    public PairCounts Pairs { get; init; }
    /// <summary>Pair-counting F-measure 2TP/(2TP+FP+FN).</summary>
    public double F1 => Pairs.F1;
    /// <summary>Pair-counting Jaccard TP/(TP+FP+FN).</summary>
    public double Jaccard => Pairs.Jaccard;

    public double Purity { get; init; }
    /// <summary>Matched spots / n under the maximum-overlap one-to-one matching (NaN when skipped: tables over 2^25 cells).</summary>
    public double HungarianAccuracy { get; init; } = double.NaN;
    /// <summary>Mean over all true classes of F1(class, matched cluster); an unmatched class scores 0.</summary>
    public double HungarianMacroF1 { get; init; } = double.NaN;
    /// <summary>Per true class (in <see cref="ContingencyTable.TrueLabels"/> order): the matched predicted label or null.</summary>
    public IReadOnlyList<string?> MatchedCluster { get; init; } = Array.Empty<string?>();
    /// <summary>Per true class: recall after matching, n(class ∩ matched cluster)/|class| — how well each (rare) class is found.</summary>
    public IReadOnlyList<double> PerClassRecall { get; init; } = Array.Empty<double>();
    public IReadOnlyList<double> PerClassF1 { get; init; } = Array.Empty<double>();

    /// <summary>Spatial coherence of the predicted labels; null when no neighbour graph was given.</summary>
    public SpatialCoherence? Spatial { get; init; }

    public ContingencyTable Contingency { get; init; } = null!;

    /// <summary>
    /// Named values for reports and the CLI. The first ten keys (mi, nmi, ami, fmi, ari, v_measure, homogeneity,
    /// completeness, f1, jaccard) are those PRAGA's evaluation prints.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToNamedValues()
    {
        var list = new List<KeyValuePair<string, double>>
        {
            new("mi", MutualInformation), new("nmi", NormalizedMutualInformation), new("ami", AdjustedMutualInformation),
            new("fmi", FowlkesMallows), new("ari", AdjustedRandIndex), new("v_measure", VMeasure),
            new("homogeneity", Homogeneity), new("completeness", Completeness), new("f1", F1), new("jaccard", Jaccard),
            new("rand_index", RandIndex), new("purity", Purity), new("hungarian_accuracy", HungarianAccuracy),
            new("hungarian_macro_f1", HungarianMacroF1),
        };
        if (Spatial is not null)
        {
            list.Add(new("neighbour_agreement", Spatial.NeighbourAgreement));
            list.Add(new("mean_cluster_moran_i", Spatial.MeanClusterMoranI));
        }
        return list;
    }

    /// <summary>A JSON object of <see cref="ToNamedValues"/> plus counts and per-class recall; NaN is written as null.</summary>
    public string ToJson(bool indented = true)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            foreach (var (key, value) in ToNamedValues()) WriteNumber(w, key, value);
            w.WriteNumber("n", Count);
            w.WriteNumber("missing_truth", MissingTruthCount);
            w.WriteNumber("missing_prediction", MissingPredictionCount);
            w.WriteNumber("n_true_classes", Contingency.RowCount);
            w.WriteNumber("n_predicted_clusters", Contingency.ColumnCount);
            if (PerClassRecall.Count == Contingency.RowCount && PerClassRecall.Count > 0)
            {
                w.WriteStartObject("per_class_recall");
                for (int i = 0; i < PerClassRecall.Count; i++) WriteNumber(w, Contingency.TrueLabels[i], PerClassRecall[i]);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter w, string key, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(key, value); else w.WriteNull(key);
    }

    public override string ToString() =>
        string.Join(", ", ToNamedValues().Select(kv => $"{kv.Key}={kv.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}"));
}
