using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>Assigns rows to their nearest prototype (Euclidean); ties go to the lower prototype index.</summary>
public static class NearestPrototype
{
    /// <summary>Labels (0-based) and, per row, the squared distance to every prototype (rows × K).</summary>
    public static int[] Assign(DenseMatrix x, DenseMatrix prototypes, out DenseMatrix squaredDistances)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(prototypes);
        if (x.Cols != prototypes.Cols)
            throw new ArgumentException($"the prototypes have {prototypes.Cols} dimensions but the data has {x.Cols}.", nameof(x));
        if (prototypes.Rows == 0) throw new ArgumentException("no prototypes given.", nameof(prototypes));
        int n = x.Rows, k = prototypes.Rows, d = x.Cols;
        var labels = new int[n];
        var dist = new DenseMatrix(n, k);
        ParallelRows.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                var row = x.RowReadOnly(i);
                var out_ = dist.Row(i);
                int best = 0;
                for (int c = 0; c < k; c++)
                {
                    var p = prototypes.RowReadOnly(c);
                    double s = 0;
                    for (int j = 0; j < d; j++) { double t = row[j] - p[j]; s += t * t; }
                    out_[c] = s;
                    if (s < out_[best]) best = c;
                }
                labels[i] = best;
            }
        });
        squaredDistances = dist;
        return labels;
    }

    public static int[] Assign(DenseMatrix x, DenseMatrix prototypes) => Assign(x, prototypes, out _);
}
