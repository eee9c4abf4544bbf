namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Rectangular linear assignment (minimum cost, every row of the shorter side matched) by the shortest augmenting
/// path method of Crouse (2016) — the algorithm behind scipy's <c>linear_sum_assignment</c>, including its
/// tie-breaking (columns scanned from the last, ties resolved towards unassigned columns), so equal-cost optima are
/// resolved the way scipy resolves them.
/// </summary>
public static class LinearAssignment
{
    /// <summary>
    /// Solves min Σ cost[i, match(i)] (or max with <paramref name="maximize"/>). Returns, for each row, its matched
    /// column or -1 when there are more rows than columns and the row stays unmatched.
    /// </summary>
    public static int[] Solve(double[,] cost, bool maximize = false)
    {
        ArgumentNullException.ThrowIfNull(cost);
        int nr = cost.GetLength(0), nc = cost.GetLength(1);
        var result = new int[nr];
        Array.Fill(result, -1);
        if (nr == 0 || nc == 0) return result;
        bool transpose = nc < nr;
        int rows = transpose ? nc : nr, cols = transpose ? nr : nc;
        var c = new double[(long)rows * cols];
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < nc; j++)
            {
                double v = cost[i, j];
                if (double.IsNaN(v) || (maximize ? double.IsPositiveInfinity(v) : double.IsNegativeInfinity(v)))
                    throw new ArgumentException($"cost[{i},{j}] = {v} is not a valid assignment cost.", nameof(cost));
                if (maximize) v = -v;
                if (transpose) c[(long)j * cols + i] = v; else c[(long)i * cols + j] = v;
            }

        var col4row = SolveWide(rows, cols, c);
        if (transpose)
            for (int i = 0; i < rows; i++) result[col4row[i]] = i;
        else
            for (int i = 0; i < rows; i++) result[i] = col4row[i];
        return result;
    }

    private static int[] SolveWide(int nr, int nc, double[] cost)
    {
        var u = new double[nr];
        var v = new double[nc];
        var shortest = new double[nc];
        var path = new int[nc];
        Array.Fill(path, -1);
        var col4row = new int[nr];
        Array.Fill(col4row, -1);
        var row4col = new int[nc];
        Array.Fill(row4col, -1);
        var sr = new bool[nr];
        var sc = new bool[nc];
        var remaining = new int[nc];

        for (int curRow = 0; curRow < nr; curRow++)
        {
            int sink = AugmentingPath(nc, cost, u, v, path, row4col, shortest, curRow, sr, sc, remaining, out double minVal);
            if (sink < 0) throw new ArgumentException("the cost matrix admits no complete assignment (infinite costs).");

            u[curRow] += minVal;
            for (int i = 0; i < nr; i++)
                if (sr[i] && i != curRow) u[i] += minVal - shortest[col4row[i]];
            for (int j = 0; j < nc; j++)
                if (sc[j]) v[j] -= minVal - shortest[j];

            int jj = sink;
            while (true)
            {
                int i = path[jj];
                row4col[jj] = i;
                (col4row[i], jj) = (jj, col4row[i]);
                if (i == curRow) break;
            }
        }
        return col4row;
    }

    private static int AugmentingPath(int nc, double[] cost, double[] u, double[] v, int[] path, int[] row4col,
        double[] shortest, int i, bool[] sr, bool[] sc, int[] remaining, out double minVal)
    {
        minVal = 0;
        int numRemaining = nc;
        // Filled in reverse so that a constant cost matrix yields the identity (scipy #11602).
        for (int it = 0; it < nc; it++) remaining[it] = nc - it - 1;
        Array.Fill(sr, false);
        Array.Fill(sc, false);
        Array.Fill(shortest, double.PositiveInfinity);

        int sink = -1;
        while (sink == -1)
        {
            int index = -1;
            double lowest = double.PositiveInfinity;
            sr[i] = true;
            long rowBase = (long)i * nc;
            for (int it = 0; it < numRemaining; it++)
            {
                int j = remaining[it];
                double r = minVal + cost[rowBase + j] - u[i] - v[j];
                if (r < shortest[j]) { path[j] = i; shortest[j] = r; }
                // Among equal costs prefer a column that ends the path (matters for small integer costs).
                if (shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1))
                {
                    lowest = shortest[j];
                    index = it;
                }
            }
            minVal = lowest;
            if (double.IsPositiveInfinity(minVal)) return -1;
            int jj = remaining[index];
            if (row4col[jj] == -1) sink = jj; else i = row4col[jj];
            sc[jj] = true;
            remaining[index] = remaining[--numRemaining];
        }
        return sink;
    }
}
