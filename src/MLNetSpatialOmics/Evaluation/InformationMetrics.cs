namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// Information-theoretic comparison of two labellings from their contingency table, following scikit-learn 1.2's
/// formulas and special cases term for term (natural logarithms, arithmetic-mean normalisation).
/// </summary>
internal static class InformationMetrics
{
    private const double Eps = 2.220446049250313e-16; // numpy finfo(float64).eps

    /// <summary>Entropy (nats) of the labelling whose class sizes are <paramref name="sizes"/>.</summary>
    public static double Entropy(long[] sizes, long total)
    {
        int nonEmpty = sizes.Count(s => s > 0);
        if (nonEmpty <= 1) return 0.0;
        double logTotal = Math.Log(total), sum = 0;
        foreach (var s in sizes)
            if (s > 0) sum += (s / (double)total) * (Math.Log(s) - logTotal);
        return -sum;
    }

    /// <summary>sklearn <c>mutual_info_score</c> from the table.</summary>
    public static double MutualInformation(ContingencyTable t)
    {
        if (t.RowCount == 1 || t.ColumnCount == 1) return 0.0;
        double n = t.Total, logN = Math.Log(n);
        double logSumA = Math.Log(t.RowSums.Sum()), logSumB = Math.Log(t.ColumnSums.Sum());
        double mi = 0;
        for (int k = 0; k < t.CellCounts.Length; k++)
        {
            double nij = t.CellCounts[k];
            double p = nij / n;
            double outer = (double)(t.RowSums[t.CellRows[k]] * t.ColumnSums[t.CellColumns[k]]);
            double logOuter = -Math.Log(outer) + logSumA + logSumB;
            double term = p * (Math.Log(nij) - logN) + p * logOuter;
            if (Math.Abs(term) >= Eps) mi += term;
        }
        return Math.Max(mi, 0.0);
    }

    /// <summary>
    /// Expected mutual information under the hypergeometric (permutation) model, with sklearn's
    /// <c>expected_mutual_information</c> terms. sklearn sums every n_ij from max(1, a+b−N) to min(a, b); here each
    /// cell's sum is restricted to the window where the hypergeometric weight exceeds e^-60 of its mode (the weight is
    /// log-concave, so the window is one interval) — the terms left out are below 1e-26 of the largest, i.e. invisible
    /// in double — and summed in ascending n_ij as sklearn does. Cost O(R·C·√n) instead of O(Σ min(a_i, b_j)).
    /// </summary>
    public static double ExpectedMutualInformation(ContingencyTable t)
    {
        int r = t.RowCount, c = t.ColumnCount;
        if (r == 1 || c == 1) return 0.0;
        long n = t.Total;
        long[] a = t.RowSums, b = t.ColumnSums;
        var lnFact = new LogFactorialTable(n);
        double dn = n, logN = Math.Log(dn), glnN = lnFact[n];
        const double window = 60.0;
        double emi = 0;
        for (int i = 0; i < r; i++)
        {
            double logA = Math.Log(a[i]);
            for (int j = 0; j < c; j++)
            {
                long ai = a[i], bj = b[j];
                long start = Math.Max(ai - n + bj, 1), end = Math.Min(ai, bj) + 1;
                if (start >= end) continue;
                double logB = Math.Log(bj);
                double fixedPart = lnFact[ai] + lnFact[bj] + lnFact[n - ai] + lnFact[n - bj] - glnN;
                double Gln(long nij) => fixedPart - lnFact[nij] - lnFact[ai - nij] - lnFact[bj - nij] - lnFact[n - ai - bj + nij];

                long mode = Math.Clamp((long)Math.Floor((ai + 1.0) * (bj + 1.0) / (n + 2.0)), start, end - 1);
                double peak = Gln(mode);
                long lo = mode, hi = mode;
                while (lo > start && Gln(lo - 1) > peak - window) lo--;
                while (hi < end - 1 && Gln(hi + 1) > peak - window) hi++;
                for (long nij = lo; nij <= hi; nij++)
                {
                    double term1 = nij / dn;
                    double term2 = logN + Math.Log(nij) - logA - logB;
                    emi += term1 * term2 * Math.Exp(Gln(nij));
                }
            }
        }
        return emi;
    }

    /// <summary>sklearn <c>normalized_mutual_info_score</c>, arithmetic mean.</summary>
    public static double Nmi(ContingencyTable t, double mi, double hTrue, double hPred)
    {
        if (t.RowCount == 1 && t.ColumnCount == 1) return 1.0;
        if (mi == 0) return 0.0;
        return mi / ((hTrue + hPred) / 2);
    }

    /// <summary>sklearn <c>adjusted_mutual_info_score</c>, arithmetic mean, with its sign-preserving eps clamp.</summary>
    public static double Ami(ContingencyTable t, double mi, double emi, double hTrue, double hPred)
    {
        if (t.RowCount == 1 && t.ColumnCount == 1) return 1.0;
        double denominator = (hTrue + hPred) / 2 - emi;
        denominator = denominator < 0 ? Math.Min(denominator, -Eps) : Math.Max(denominator, Eps);
        return (mi - emi) / denominator;
    }
}
