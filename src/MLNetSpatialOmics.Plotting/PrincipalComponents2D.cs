using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Plotting;

/// <summary>
/// The first two principal components of an embedding, for a 2-D scatter: covariance (d×d, one pass over the rows),
/// its two leading eigenvectors by power iteration with deflation from a fixed start, signs fixed so the largest
/// loading is positive. Deterministic, O(N·d² + d²·iterations), no N×N anything.
/// </summary>
public sealed class PrincipalComponents2D
{
    /// <summary>Row-wise coordinates on PC1 and PC2.</summary>
    public double[] Pc1 { get; }
    public double[] Pc2 { get; }
    /// <summary>Share of the total variance on PC1 and PC2 (0..1; 0 when the embedding has no variance).</summary>
    public double ExplainedRatio1 { get; }
    public double ExplainedRatio2 { get; }

    private PrincipalComponents2D(double[] pc1, double[] pc2, double r1, double r2)
    {
        Pc1 = pc1;
        Pc2 = pc2;
        ExplainedRatio1 = r1;
        ExplainedRatio2 = r2;
    }

    public static PrincipalComponents2D Fit(DenseMatrix embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        int n = embedding.Rows, d = embedding.Cols;
        if (n == 0 || d == 0) throw new ArgumentException($"the embedding is {n}×{d}; it needs at least one row and one column.", nameof(embedding));
        for (long i = 0; i < embedding.Data.LongLength; i++)
            if (!double.IsFinite(embedding.Data[i]))
                throw new ArgumentException($"the embedding has a non-finite value at row {i / d}, column {i % d}.", nameof(embedding));
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = embedding.RowReadOnly(i);
            for (int k = 0; k < d; k++) mean[k] += row[k];
        }
        for (int k = 0; k < d; k++) mean[k] /= n;
        var cov = new double[d * d];
        var centered = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = embedding.RowReadOnly(i);
            for (int k = 0; k < d; k++) centered[k] = row[k] - mean[k];
            for (int a = 0; a < d; a++)
            {
                double ca = centered[a];
                if (ca == 0) continue;
                int off = a * d;
                for (int b = a; b < d; b++) cov[off + b] += ca * centered[b];
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++)
            {
                cov[a * d + b] /= Math.Max(1, n - 1);
                cov[b * d + a] = cov[a * d + b];
                if (a == b) trace += cov[a * d + a];
            }

        var (v1, l1) = LeadingEigenvector(cov, d, null);
        var (v2, l2) = d > 1 ? LeadingEigenvector(cov, d, (v1, l1)) : (new double[d], 0.0);
        var pc1 = new double[n];
        var pc2 = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = embedding.RowReadOnly(i);
            double s1 = 0, s2 = 0;
            for (int k = 0; k < d; k++) { double c = row[k] - mean[k]; s1 += c * v1[k]; s2 += c * v2[k]; }
            pc1[i] = s1;
            pc2[i] = s2;
        }
        return new PrincipalComponents2D(pc1, pc2, trace > 0 ? l1 / trace : 0, trace > 0 ? l2 / trace : 0);
    }

    private static (double[] Vector, double Value) LeadingEigenvector(double[] cov, int d, (double[] V, double L)? deflate)
    {
        var v = new double[d];
        // Fixed, non-symmetric start so no eigenvector is orthogonal to it by construction.
        for (int k = 0; k < d; k++) v[k] = 1.0 + 0.01 * k;
        Normalize(v);
        var w = new double[d];
        double lambda = 0;
        for (int iter = 0; iter < 1000; iter++)
        {
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                int off = a * d;
                for (int b = 0; b < d; b++) s += cov[off + b] * v[b];
                w[a] = s;
            }
            if (deflate is { } f)
            {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += f.V[k] * v[k];
                for (int k = 0; k < d; k++) w[k] -= f.L * dot * f.V[k];
            }
            double norm = Math.Sqrt(w.Sum(x => x * x));
            if (norm == 0) return (v, 0);
            double change = 0;
            for (int k = 0; k < d; k++) { double nv = w[k] / norm; change = Math.Max(change, Math.Abs(nv - v[k])); v[k] = nv; }
            lambda = norm;
            if (change < 1e-10) break;
        }
        int big = 0;
        for (int k = 1; k < d; k++) if (Math.Abs(v[k]) > Math.Abs(v[big])) big = k;
        if (v[big] < 0) for (int k = 0; k < d; k++) v[k] = -v[k];
        return (v, lambda);
    }

    private static void Normalize(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => x * x));
        for (int k = 0; k < v.Length; k++) v[k] /= norm;
    }
}
