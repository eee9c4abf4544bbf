namespace MLNetSpatialOmics.Transforms;

/// <summary>Input validation shared by the transforms: errors name the column, the spot row and the feature.</summary>
internal static class InputChecks
{
    public static void RequireFinite(FeatureMatrix m, string column, string transform)
    {
        var bad = FindFirst(m, v => !double.IsFinite(v));
        if (bad is { } b)
            throw new InvalidOperationException($"{transform}: column '{column}' has a non-finite value ({b.Value}) at spot row {b.Row}, feature {b.Col}; " +
                "remove or impute NaN/infinite values before this transform.");
    }

    public static void RequireNonNegative(FeatureMatrix m, string column, string transform)
    {
        RequireFinite(m, column, transform);
        var bad = FindFirst(m, v => v < 0);
        if (bad is { } b)
            throw new InvalidOperationException($"{transform}: column '{column}' has a negative value ({b.Value}) at spot row {b.Row}, feature {b.Col}; " +
                "this transform expects non-negative counts.");
    }

    private static (int Row, int Col, double Value)? FindFirst(FeatureMatrix m, Func<double, bool> predicate)
    {
        if (m.Sparse is { } s)
        {
            for (int i = 0; i < s.Rows; i++)
            {
                var idx = s.RowIndices(i); var val = s.RowValues(i);
                for (int p = 0; p < idx.Length; p++) if (predicate(val[p])) return (i, idx[p], val[p]);
            }
            return null;
        }
        var d = m.Dense!;
        for (int i = 0; i < d.Rows; i++)
        {
            var row = d.RowReadOnly(i);
            for (int j = 0; j < row.Length; j++) if (predicate(row[j])) return (i, j, row[j]);
        }
        return null;
    }
}
