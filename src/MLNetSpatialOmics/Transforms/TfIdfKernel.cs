using MLNetSpatialOmics.Numerics;
namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// The TF-IDF step of SpatialGlue/PRAGA's <c>lsi()</c>: idf_j = n_spots / Σ_i x_ij, tf_ij = x_ij / Σ_j x_ij,
/// T = tf·idf, optionally L1-normalised per row again (what the released code does through sklearn's
/// <c>Normalizer(norm='l1')</c>), then log1p(scale·T).
/// </summary>
public static class TfIdfKernel
{
    /// <summary>idf_j = n_spots / column sum. A feature with no counts gets idf 0 (it then contributes nothing),
    /// where the Python code would produce inf/NaN.</summary>
    public static double[] FitIdf(FeatureMatrix counts)
    {
        var sums = counts.ColumnSums();
        return sums.Select(s => s > 0 ? counts.Rows / s : 0.0).ToArray();
    }

    /// <summary>An all-zero spot stays all zero (its tf is defined as 0).</summary>
    public static FeatureMatrix Apply(FeatureMatrix counts, double[] idf, bool secondL1Normalisation = true, double scale = 1e4)
    {
        if (idf.Length != counts.Cols) throw new ArgumentException($"idf has {idf.Length} features, the input has {counts.Cols}.");
        var rowSums = counts.RowSums();
        var tfidf = MapWithColumn(counts, (i, j, v) => rowSums[i] > 0 ? v / rowSums[i] * idf[j] : 0);
        if (secondL1Normalisation)
        {
            var l1 = tfidf.MapStored((_, v) => Math.Abs(v)).RowSums();
            tfidf = tfidf.MapStored((i, v) => l1[i] > 0 ? v / l1[i] : 0);
        }
        return tfidf.MapStored((_, v) => CountKernels.LogOnePlus(scale * v));
    }

    internal static FeatureMatrix MapWithColumn(FeatureMatrix x, Func<int, int, double, double> f)
    {
        if (x.Sparse is { } s)
        {
            var values = new double[s.Values.Length];
            Parallel.For(0, s.Rows, Parallelism.Options, i =>
            {
                for (long p = s.RowPtr[i]; p < s.RowPtr[i + 1]; p++) values[p] = f(i, s.ColIndices[p], s.Values[p]);
            });
            return new FeatureMatrix(new Numerics.CsrMatrix(s.Rows, s.Cols, s.RowPtr, s.ColIndices, values, validate: false));
        }
        var d = x.Dense!;
        var r = new Numerics.DenseMatrix(d.Rows, d.Cols);
        Parallel.For(0, d.Rows, Parallelism.Options, i =>
        {
            var src = d.RowReadOnly(i); var dst = r.Row(i);
            for (int j = 0; j < src.Length; j++) dst[j] = f(i, j, src[j]);
        });
        return new FeatureMatrix(r);
    }
}
