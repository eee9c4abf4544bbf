using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// The small exact PCA the clustering head applies before fitting (the papers cluster PCA(20) of the embedding):
/// centre, eigen-decompose the d×d covariance, keep the leading components. Scores = (x − mean)·V_q. Kept internal:
/// the preprocessing transforms provide the general PCA.
/// </summary>
internal sealed class EmbeddingPca
{
    public double[] Mean { get; }
    /// <summary>d × q, column c = component c.</summary>
    public DenseMatrix Components { get; }

    public EmbeddingPca(double[] mean, DenseMatrix components)
    {
        Mean = mean;
        Components = components;
    }

    public static EmbeddingPca Fit(DenseMatrix x, int components)
    {
        int n = x.Rows, d = x.Cols;
        if (components < 1 || components > d)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"PCA components must lie in 1..{d} (the embedding width).");
        var sums = ParallelRows.SumArrays(n, d, (s, e, acc) =>
        {
            for (int i = s; i < e; i++) { var r = x.RowReadOnly(i); for (int j = 0; j < d; j++) acc[j] += r[j]; }
        });
        var mean = sums.Select(v => v / n).ToArray();
        var cov = ParallelRows.SumArrays(n, d * d, (s, e, acc) =>
        {
            var w = new double[d];
            for (int i = s; i < e; i++)
            {
                var r = x.RowReadOnly(i);
                for (int j = 0; j < d; j++) w[j] = r[j] - mean[j];
                for (int a = 0; a < d; a++) { double wa = w[a]; for (int b = 0; b <= a; b++) acc[a * d + b] += wa * w[b]; }
            }
        });
        for (int a = 0; a < d; a++) for (int b = 0; b < a; b++) cov[b * d + a] = cov[a * d + b];
        var (_, vectors) = DenseLinearAlgebra.SymmetricEigen(cov, d);
        var v = new DenseMatrix(d, components);
        for (int a = 0; a < d; a++)
            for (int c = 0; c < components; c++) v[a, c] = vectors[a * d + c];
        // Sign rule: the largest-|.| loading of each component is positive (deterministic output).
        for (int c = 0; c < components; c++)
        {
            int arg = 0;
            for (int a = 1; a < d; a++) if (Math.Abs(v[a, c]) > Math.Abs(v[arg, c])) arg = a;
            if (v[arg, c] < 0) for (int a = 0; a < d; a++) v[a, c] = -v[a, c];
        }
        return new EmbeddingPca(mean, v);
    }

    public DenseMatrix Transform(DenseMatrix x)
    {
        int d = Mean.Length, q = Components.Cols;
        if (x.Cols != d) throw new ArgumentException($"the PCA was fitted on {d} dimensions; the data has {x.Cols}.", nameof(x));
        var scores = new DenseMatrix(x.Rows, q);
        ParallelRows.For(x.Rows, (s, e) =>
        {
            var w = new double[d];
            for (int i = s; i < e; i++)
            {
                var r = x.RowReadOnly(i);
                for (int j = 0; j < d; j++) w[j] = r[j] - Mean[j];
                var o = scores.Row(i);
                for (int c = 0; c < q; c++)
                {
                    double t = 0;
                    for (int j = 0; j < d; j++) t += w[j] * Components.Data[j * q + c];
                    o[c] = t;
                }
            }
        });
        return scores;
    }
}
