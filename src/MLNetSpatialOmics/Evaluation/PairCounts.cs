namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Exact counts over unordered spot pairs {i &lt; j}: TP together in both labellings, FP together only in the
/// prediction, FN together only in the truth, TN apart in both. Derived from the contingency table in O(cells).
/// </summary>
public readonly record struct PairCounts(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    public long TotalPairs => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>TP/(TP+FP); NaN when no pair is together in the prediction.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    /// <summary>TP/(TP+FN); NaN when no pair is together in the truth.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    /// <summary>Pair-counting F-measure 2TP/(2TP+FP+FN), as PRAGA reports it; NaN when the denominator is 0.</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);
    /// <summary>Pair-counting Jaccard TP/(TP+FP+FN); NaN when the denominator is 0.</summary>
    public double Jaccard => Ratio(TruePositives, TruePositives + FalsePositives + FalseNegatives);

    private static double Ratio(long num, long den) => den == 0 ? double.NaN : (double)num / den;

    internal static PairCounts From(ContingencyTable t, out long sumSquaresCells, out long sumSquaresRows, out long sumSquaresCols)
    {
        sumSquaresCells = 0; sumSquaresRows = 0; sumSquaresCols = 0;
        checked
        {
            foreach (var x in t.CellCounts) sumSquaresCells += x * x;
            foreach (var x in t.RowSums) sumSquaresRows += x * x;
            foreach (var x in t.ColumnSums) sumSquaresCols += x * x;
            long n = t.Total;
            long tp = (sumSquaresCells - n) / 2;
            long fp = (sumSquaresCols - sumSquaresCells) / 2;
            long fn = (sumSquaresRows - sumSquaresCells) / 2;
            long total = n * (n - 1) / 2;
            return new PairCounts(tp, fp, fn, total - tp - fp - fn);
        }
    }
}
