namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Compares a predicted partition with the truth: every metric from one contingency table, O(N + R·C) (the expected
/// mutual information adds O(Σ_ij min(a_i, b_j)), the Hungarian matching O(R·C·min(R, C))). Spots whose truth or
/// prediction is missing are left out and counted.
/// </summary>
public static class SpatialClusteringEvaluator
{
    /// <summary>String labels; null or empty = missing.</summary>
    public static SpatialClusteringMetrics Evaluate(IReadOnlyList<string?> truth, IReadOnlyList<string?> predicted,
        IReadOnlyList<int[]>? neighbours = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        CheckLengths(truth.Count, predicted.Count);
        return Evaluate(LabelCodes.FromStrings(truth), LabelCodes.FromStrings(predicted), neighbours);
    }

    /// <summary>Integer labels (any values, negative included).</summary>
    public static SpatialClusteringMetrics Evaluate(int[] truth, int[] predicted, IReadOnlyList<int[]>? neighbours = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        CheckLengths(truth.Length, predicted.Length);
        return Evaluate(LabelCodes.FromInts(truth), LabelCodes.FromInts(predicted), neighbours);
    }

    /// <summary>Integer labels with missing truth (null).</summary>
    public static SpatialClusteringMetrics Evaluate(IReadOnlyList<int?> truth, int[] predicted, IReadOnlyList<int[]>? neighbours = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        CheckLengths(truth.Count, predicted.Length);
        return Evaluate(LabelCodes.FromNullableInts(truth), LabelCodes.FromInts(predicted), neighbours);
    }

    private static void CheckLengths(int t, int p)
    {
        if (t != p) throw new ArgumentException($"the truth has {t} labels but the prediction has {p}; one label per spot is expected in both.");
    }

    internal static SpatialClusteringMetrics Evaluate(LabelCodes truth, LabelCodes predicted, IReadOnlyList<int[]>? neighbours)
    {
        long missingTruth = 0, missingPred = 0;
        for (int i = 0; i < truth.Codes.Length; i++)
        {
            if (truth.Codes[i] < 0) missingTruth++;
            else if (predicted.Codes[i] < 0) missingPred++;
        }
        var table = ContingencyTable.FromCodes(truth, predicted);
        if (table.Total == 0)
            throw new ArgumentException($"no spot has both a truth and a predicted label ({missingTruth} lack truth, {missingPred} lack a prediction); nothing to evaluate.");

        double hTrue = InformationMetrics.Entropy(table.RowSums, table.Total);
        double hPred = InformationMetrics.Entropy(table.ColumnSums, table.Total);
        double mi = InformationMetrics.MutualInformation(table);
        double emi = InformationMetrics.ExpectedMutualInformation(table);
        var pairs = PairCounts.From(table, out long ssCells, out long ssRows, out long ssCols);
        double homogeneity = hTrue != 0 ? mi / hTrue : 1.0;
        double completeness = hPred != 0 ? mi / hPred : 1.0;

        bool canMatch = (long)table.RowCount * table.ColumnCount <= 1L << 25;
        int[] match = canMatch ? MatchingMetrics.Match(table) : Array.Empty<int>();
        long matched = 0;
        double[] f1 = Array.Empty<double>(), recall = Array.Empty<double>();
        if (canMatch) MatchingMetrics.Scores(table, match, out matched, out f1, out recall);

        return new SpatialClusteringMetrics
        {
            Count = table.Total,
            MissingTruthCount = missingTruth,
            MissingPredictionCount = missingPred,
            Contingency = table,
            EntropyTrue = hTrue,
            EntropyPredicted = hPred,
            MutualInformation = mi,
            ExpectedMutualInformation = emi,
            NormalizedMutualInformation = InformationMetrics.Nmi(table, mi, hTrue, hPred),
            AdjustedMutualInformation = InformationMetrics.Ami(table, mi, emi, hTrue, hPred),
            Homogeneity = homogeneity,
            Completeness = completeness,
            VMeasure = homogeneity + completeness == 0 ? 0.0 : 2 * homogeneity * completeness / (homogeneity + completeness),
            Pairs = pairs,
            AdjustedRandIndex = AdjustedRand(pairs),
            RandIndex = RandIndex(pairs),
            FowlkesMallows = FowlkesMallows(table.Total, ssCells, ssRows, ssCols),
            Purity = MatchingMetrics.Purity(table),
            HungarianAccuracy = canMatch ? (double)matched / table.Total : double.NaN,
            HungarianMacroF1 = canMatch ? f1.Average() : double.NaN,
            PerClassF1 = f1,
            PerClassRecall = recall,
            MatchedCluster = canMatch ? match.Select(j => j < 0 ? null : table.PredictedLabels[j]).ToArray() : Array.Empty<string?>(),
            Spatial = neighbours is null ? null : SpatialCoherence.Compute(predicted.Codes, predicted.Count, neighbours),
        };
    }

    // sklearn works with ordered pair counts (twice ours); the products need 128 bits beyond ~10^5 spots.
    private static double AdjustedRand(PairCounts p)
    {
        Int128 tp = 2 * (Int128)p.TruePositives, fp = 2 * (Int128)p.FalsePositives;
        Int128 fn = 2 * (Int128)p.FalseNegatives, tn = 2 * (Int128)p.TrueNegatives;
        if (fn == 0 && fp == 0) return 1.0;
        return 2.0 * (double)(tp * tn - fn * fp) / (double)((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    }

    private static double RandIndex(PairCounts p)
    {
        long agree = p.TruePositives + p.TrueNegatives, total = p.TotalPairs;
        if (agree == total || total == 0) return 1.0;
        return (double)(2 * agree) / (2 * total);
    }

    private static double FowlkesMallows(long n, long ssCells, long ssRows, long ssCols)
    {
        long tk = ssCells - n, pk = ssCols - n, qk = ssRows - n;
        return tk != 0 ? Math.Sqrt((double)tk / pk) * Math.Sqrt((double)tk / qk) : 0.0;
    }
}
