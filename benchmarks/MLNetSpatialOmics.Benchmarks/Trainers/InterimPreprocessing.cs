using MLNetSpatialOmics.Numerics;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Benchmarks.Trainers;

/// <summary>
/// Stand-in for the preprocessing area's transforms (PRAGA's "Simulation" recipe) until they land on main:
/// RNA normalise-total 1e4 + log1p → PCA; ADT CLR → PCA; ATAC LSI (tf-idf, log1p, SVD U, row-standardised, first comp dropped).
/// </summary>
internal static class InterimPreprocessing
{
    public static DenseMatrix NormalizeLog1p(DenseMatrix counts, double target = 1e4)
    {
        var m = counts.Clone();
        for (int i = 0; i < m.Rows; i++)
        {
            var row = m.Row(i);
            double s = 0; foreach (var v in row) s += v;
            for (int j = 0; j < row.Length; j++) row[j] = Math.Log(1 + (s > 0 ? row[j] / s * target : 0));
        }
        return m;
    }

    /// <summary>SpatialGlue's CLR per spot: log1p(x / exp(Σ log1p(x[x>0]) / n_features)).</summary>
    public static DenseMatrix Clr(DenseMatrix counts)
    {
        var m = counts.Clone();
        for (int i = 0; i < m.Rows; i++)
        {
            var row = m.Row(i);
            double s = 0; foreach (var v in row) if (v > 0) s += Math.Log(1 + v);
            double g = Math.Exp(s / row.Length);
            for (int j = 0; j < row.Length; j++) row[j] = Math.Log(1 + row[j] / g);
        }
        return m;
    }

    public static DenseMatrix Pca(DenseMatrix x, int components)
    {
        using var scope = NewDisposeScope();
        var t = tensor(x.Data, new long[] { x.Rows, x.Cols }, dtype: ScalarType.Float64);
        var centred = t - t.mean(new long[] { 0 });
        var (u, s, _) = linalg.svd(centred, fullMatrices: false);
        int c = Math.Min(components, (int)s.shape[0]);
        var scores = u.narrow(1, 0, c) * s.narrow(0, 0, c);
        return new DenseMatrix(x.Rows, c, scores.contiguous().data<double>().ToArray());
    }

    public static DenseMatrix Lsi(DenseMatrix counts, int components)
    {
        int n = counts.Rows, f = counts.Cols;
        var colSums = new double[f];
        for (int i = 0; i < n; i++) { var row = counts.RowReadOnly(i); for (int j = 0; j < f; j++) colSums[j] += row[j]; }
        var m = counts.Clone();
        for (int i = 0; i < n; i++)
        {
            var row = m.Row(i);
            double s = 0; foreach (var v in row) s += v;
            double l1 = 0;
            for (int j = 0; j < f; j++)
            {
                double idf = colSums[j] > 0 ? n / colSums[j] : 0;
                row[j] = (s > 0 ? row[j] / s : 0) * idf;
                l1 += Math.Abs(row[j]);
            }
            // The tf-idf rows are L1-normalised again before log1p(·1e4), as Seurat v3 / SpatialGlue do.
            for (int j = 0; j < f; j++) row[j] = Math.Log(1 + (l1 > 0 ? row[j] / l1 : 0) * 1e4);
        }
        using var scope = NewDisposeScope();
        var t = tensor(m.Data, new long[] { n, f }, dtype: ScalarType.Float64);
        var (u, _, _) = linalg.svd(t, fullMatrices: false);
        int c = Math.Min(components + 1, (int)u.shape[1]);
        var lsi = u.narrow(1, 0, c);
        lsi = (lsi - lsi.mean(new long[] { 1 }, keepdim: true)) / lsi.std(1, unbiased: true, keepdim: true);
        lsi = lsi.narrow(1, 1, c - 1);
        return new DenseMatrix(n, c - 1, lsi.contiguous().data<double>().ToArray());
    }
}
