namespace MLNetSpatialOmics.Benchmarks.Trainers;

/// <summary>
/// Stand-in for the evaluator area's metrics until it lands on main: the ten PRAGA metrics from the contingency table
/// (MI in nats, NMI/AMI arithmetic, FMI, ARI, V-measure, homogeneity, completeness, pair-counting F1 and Jaccard).
/// </summary>
internal static class InterimClusteringMetrics
{
    public static readonly string[] Names = { "MI", "NMI", "AMI", "FMI", "ARI", "V", "Hom", "Comp", "F1", "Jacc" };

    public static double[] Compute(int[] truth, int[] predicted)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException("label arrays differ in length.");
        var tIds = truth.Distinct().OrderBy(v => v).Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var pIds = predicted.Distinct().OrderBy(v => v).Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        int r = tIds.Count, c = pIds.Count;
        double n = truth.Length;
        var table = new double[r, c];
        for (int i = 0; i < truth.Length; i++) table[tIds[truth[i]], pIds[predicted[i]]]++;
        var a = new double[r];
        var b = new double[c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) { a[i] += table[i, j]; b[j] += table[i, j]; }

        double mi = 0;
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++)
            if (table[i, j] > 0) mi += table[i, j] / n * Math.Log(n * table[i, j] / (a[i] * b[j]));
        double hT = Entropy(a, n), hP = Entropy(b, n);
        double nmi = hT + hP > 0 ? mi / ((hT + hP) / 2) : 1;
        double emi = ExpectedMutualInformation(a, b, (int)n);
        double denom = (hT + hP) / 2 - emi;
        double ami = Math.Abs(denom) < 1e-15 ? 1 : (mi - emi) / denom;

        static double Pairs(double x) => x * (x - 1) / 2;
        double sumCells = 0; foreach (var cell in table) sumCells += Pairs(cell);
        double sumA = a.Sum(Pairs), sumB = b.Sum(Pairs), total = Pairs(n);
        double expected = sumA * sumB / total;
        double ari = (sumCells - expected) / (0.5 * (sumA + sumB) - expected);
        double tp = sumCells, fp = sumB - sumCells, fn = sumA - sumCells;
        double fmi = tp / Math.Sqrt((tp + fp) * (tp + fn));
        double hom = hT > 0 ? 1 - (hT - mi) / hT : 1;   // H(C|K) = H(C) − MI
        double comp = hP > 0 ? 1 - (hP - mi) / hP : 1;
        double v = hom + comp > 0 ? 2 * hom * comp / (hom + comp) : 0;
        double f1 = 2 * tp / (2 * tp + fp + fn);
        double jac = tp / (tp + fp + fn);
        return new[] { mi, nmi, ami, fmi, ari, v, hom, comp, f1, jac };
    }

    private static double Entropy(double[] counts, double n)
    {
        double h = 0;
        foreach (var x in counts) if (x > 0) h -= x / n * Math.Log(x / n);
        return h;
    }

    private static double ExpectedMutualInformation(double[] a, double[] b, int n)
    {
        double lgN = LogFactorial(n);
        double emi = 0;
        foreach (var ai in a)
            foreach (var bj in b)
            {
                int lo = Math.Max(1, (int)(ai + bj) - n), hi = (int)Math.Min(ai, bj);
                double constant = LogFactorial((int)ai) + LogFactorial((int)bj) + LogFactorial(n - (int)ai) + LogFactorial(n - (int)bj) - lgN;
                for (int nij = lo; nij <= hi; nij++)
                {
                    double term = nij / (double)n * Math.Log(n * (double)nij / (ai * bj));
                    double logP = constant - LogFactorial(nij) - LogFactorial((int)ai - nij) - LogFactorial((int)bj - nij)
                                  - LogFactorial(n - (int)ai - (int)bj + nij);
                    emi += term * Math.Exp(logP);
                }
            }
        return emi;
    }

    private static readonly List<double> LogFactorials = new() { 0 };
    private static double LogFactorial(int k)
    {
        while (LogFactorials.Count <= k) LogFactorials.Add(LogFactorials[^1] + Math.Log(LogFactorials.Count));
        return LogFactorials[k];
    }
}
