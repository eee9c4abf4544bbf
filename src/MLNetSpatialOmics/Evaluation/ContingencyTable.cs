namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Counts of spots per (true class, predicted cluster): rows are the sorted true labels, columns the sorted predicted
/// labels (numpy <c>unique</c> order). Held sparsely — only non-zero cells — so an all-singleton prediction of a
/// million spots stays small. Every clustering-comparison metric here is computed from this table.
/// </summary>
public sealed class ContingencyTable
{
    /// <summary>Labels of the rows (true classes), in sorted order.</summary>
    public IReadOnlyList<string> TrueLabels { get; }
    /// <summary>Labels of the columns (predicted clusters), in sorted order.</summary>
    public IReadOnlyList<string> PredictedLabels { get; }
    public long[] RowSums { get; }
    public long[] ColumnSums { get; }
    /// <summary>Number of spots counted (both labels present).</summary>
    public long Total { get; }
    /// <summary>Non-zero cells in row-major order.</summary>
    public int[] CellRows { get; }
    public int[] CellColumns { get; }
    public long[] CellCounts { get; }

    public int RowCount => RowSums.Length;
    public int ColumnCount => ColumnSums.Length;

    internal ContingencyTable(string[] trueLabels, string[] predictedLabels, int[] cellRows, int[] cellCols, long[] counts)
    {
        TrueLabels = trueLabels;
        PredictedLabels = predictedLabels;
        CellRows = cellRows;
        CellColumns = cellCols;
        CellCounts = counts;
        RowSums = new long[trueLabels.Length];
        ColumnSums = new long[predictedLabels.Length];
        long total = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            RowSums[cellRows[k]] += counts[k];
            ColumnSums[cellCols[k]] += counts[k];
            total += counts[k];
        }
        Total = total;
    }

    /// <summary>
    /// Builds the table from two code vectors of equal length (code -1 = missing; such rows are skipped). O(N) plus
    /// O(R·C) when the dense R×C count array is small enough, otherwise a hash of the non-zero cells.
    /// </summary>
    internal static ContingencyTable FromCodes(LabelCodes truth, LabelCodes predicted)
    {
        int[] t = truth.Codes, p = predicted.Codes;
        int r = truth.Count, c = predicted.Count;
        long cells = (long)r * c;
        var rows = new List<int>();
        var cols = new List<int>();
        var counts = new List<long>();
        if (cells <= 1L << 24)
        {
            var dense = new long[cells];
            for (int i = 0; i < t.Length; i++)
                if (t[i] >= 0 && p[i] >= 0) dense[(long)t[i] * c + p[i]]++;
            for (long k = 0; k < cells; k++)
                if (dense[k] != 0) { rows.Add((int)(k / c)); cols.Add((int)(k % c)); counts.Add(dense[k]); }
        }
        else
        {
            var map = new Dictionary<long, long>();
            for (int i = 0; i < t.Length; i++)
                if (t[i] >= 0 && p[i] >= 0)
                {
                    long key = (long)t[i] * c + p[i];
                    map[key] = map.GetValueOrDefault(key) + 1;
                }
            var keys = map.Keys.ToArray();
            Array.Sort(keys);
            foreach (var k in keys) { rows.Add((int)(k / c)); cols.Add((int)(k % c)); counts.Add(map[k]); }
        }
        return Compact(truth.Names, predicted.Names, rows, cols, counts);
    }

    // A label seen only on spots whose other label is missing has no cell: drop it, as sklearn never sees it.
    private static ContingencyTable Compact(string[] rowNames, string[] colNames, List<int> rows, List<int> cols, List<long> counts)
    {
        var rowMap = Remap(rowNames.Length, rows, out var keptRows);
        var colMap = Remap(colNames.Length, cols, out var keptCols);
        var r = rows.Select(x => rowMap[x]).ToArray();
        var c = cols.Select(x => colMap[x]).ToArray();
        return new ContingencyTable(keptRows.Select(i => rowNames[i]).ToArray(), keptCols.Select(j => colNames[j]).ToArray(),
            r, c, counts.ToArray());
    }

    private static int[] Remap(int count, List<int> used, out List<int> kept)
    {
        var seen = new bool[count];
        foreach (var u in used) seen[u] = true;
        var map = new int[count];
        kept = new List<int>();
        for (int i = 0; i < count; i++)
            if (seen[i]) { map[i] = kept.Count; kept.Add(i); }
        return map;
    }

    /// <summary>The table as a dense R×C array; refused when that would be huge (use the sparse cells instead).</summary>
    public long[,] ToDense()
    {
        long cells = (long)RowCount * ColumnCount;
        if (cells > 1L << 27)
            throw new InvalidOperationException($"a dense {RowCount}×{ColumnCount} contingency table is too large; read CellRows/CellColumns/CellCounts instead.");
        var d = new long[RowCount, ColumnCount];
        for (int k = 0; k < CellCounts.Length; k++) d[CellRows[k], CellColumns[k]] = CellCounts[k];
        return d;
    }
}
