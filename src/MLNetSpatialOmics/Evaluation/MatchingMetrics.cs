namespace MLNetSpatialOmics.Evaluation;

/// <summary>Purity and the one-to-one (Hungarian) matching of predicted clusters to true classes.</summary>
internal static class MatchingMetrics
{
    /// <summary>Σ over predicted clusters of the largest overlap with one true class, divided by n.</summary>
    public static double Purity(ContingencyTable t)
    {
        var best = new long[t.ColumnCount];
        for (int k = 0; k < t.CellCounts.Length; k++)
            best[t.CellColumns[k]] = Math.Max(best[t.CellColumns[k]], t.CellCounts[k]);
        return (double)best.Sum() / t.Total;
    }

    /// <summary>
    /// Maximum-overlap one-to-one matching (scipy <c>linear_sum_assignment(table, maximize=True)</c>). Returns, per
    /// true class, the matched predicted column or -1.
    /// </summary>
    public static int[] Match(ContingencyTable t)
    {
        int r = t.RowCount, c = t.ColumnCount;
        if ((long)r * c > 1L << 25)
            throw new InvalidOperationException($"Hungarian matching of a {r}×{c} table is too large; switch it off in the evaluation options.");
        var dense = new double[r, c];
        for (int k = 0; k < t.CellCounts.Length; k++) dense[t.CellRows[k], t.CellColumns[k]] = t.CellCounts[k];
        return LinearAssignment.Solve(dense, maximize: true);
    }

    public static void Scores(ContingencyTable t, int[] match, out long matched, out double[] perClassF1, out double[] perClassRecall)
    {
        var cell = new Dictionary<long, long>(t.CellCounts.Length);
        for (int k = 0; k < t.CellCounts.Length; k++) cell[(long)t.CellRows[k] * t.ColumnCount + t.CellColumns[k]] = t.CellCounts[k];
        matched = 0;
        perClassF1 = new double[t.RowCount];
        perClassRecall = new double[t.RowCount];
        for (int i = 0; i < t.RowCount; i++)
        {
            int j = match[i];
            if (j < 0) continue;
            long nij = cell.GetValueOrDefault((long)i * t.ColumnCount + j);
            matched += nij;
            // F1 of class i against cluster j: precision nij/b_j, recall nij/a_i → 2·nij/(a_i + b_j).
            perClassF1[i] = nij == 0 ? 0.0 : 2.0 * nij / (t.RowSums[i] + t.ColumnSums[j]);
            perClassRecall[i] = (double)nij / t.RowSums[i];
        }
    }
}
