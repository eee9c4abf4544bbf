using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// Split-and-merge search around a converged mixture (after Ueda et al. 2000, SMEM). EM stops in local optima that no
/// hierarchical or k-means start avoids when a large cluster is split in two and the spare component is spent on a
/// chunk of another cluster. Two kinds of move are tried from the current hard partition, each followed by EM to
/// convergence: merge components i and j and split a third, k, in two (the freed index takes one half); and move one
/// half of a component k into another component i. A component is split by 2-means and by the side of its mean along
/// its first principal axis (SMEM's own split proposal), each both in the data's coordinates and in the metric of the
/// partition's pooled within-component covariance — the metric of a shared-covariance model such as EEE. The second
/// pair matters when a component holds two groups that differ along a direction in which the shared covariance is
/// narrow while the component is long in another: Euclidean cuts then run across its long side (a CRCT triplet
/// embedding, seed 3: a domain merged into half of the background stayed merged until the whitened cut, which reaches
/// the truth-started likelihood). The best move replaces the fit when it raises the log-likelihood, and the search
/// repeats from it. The number of components and the model stay
/// fixed, so the likelihood orders the fits as BIC does. A round costs up to 2G(G−1)(G−2) + 8G(G−1) EM runs; above
/// <see cref="SearchRows"/> rows the search runs on a seeded subset and its result seeds one EM on every row.
/// </summary>
internal static class MixtureSplitMerge
{
    public const int SearchRows = 20_000;
    private const int MaxRounds = 10;

    public static GaussianMixture Refine(DenseMatrix x, GaussianMixture fit, MclustOptions options)
    {
        if (fit.Components < 2) return fit;
        if (x.Rows <= SearchRows) return Search(x, fit, options);
        var subset = MclustFitter.Rows(x, MclustFitter.DrawSubset(x.Rows, SearchRows, options.Seed));
        var start = MclustFitter.FitFromPartition(subset, fit.Predict(subset), fit.ModelName, options);
        if (start is null || start.Components != fit.Components) return fit;
        var searched = Search(subset, start, options);
        if (ReferenceEquals(searched, start)) return fit;
        var full = MclustFitter.FitFromParameters(x, searched.Parameters, options);
        return full is not null && full.Components == fit.Components && full.LogLikelihood > fit.LogLikelihood ? full : fit;
    }

    private static GaussianMixture Search(DenseMatrix x, GaussianMixture fit, MclustOptions options)
    {
        int g = fit.Components;
        var best = fit;
        for (int round = 0; round < MaxRounds; round++)
        {
            var labels = best.TrainingLabels.ToArray();
            var whitened = WithinClassWhitened(x, labels, g);
            var splits = Enumerable.Range(0, g).Select(k => Splits(x, labels, k, options.Seed, whitened)).ToArray();
            double threshold = best.LogLikelihood + 1e-6 * Math.Max(1, Math.Abs(best.LogLikelihood));
            GaussianMixture? improved = null;
            void Try(int[] start)
            {
                var candidate = MclustFitter.FitFromPartition(x, start, best.ModelName, options);
                if (candidate is not null && candidate.Components == g && candidate.LogLikelihood > (improved?.LogLikelihood ?? threshold))
                    improved = candidate;
            }
            for (int i = 0; i < g; i++)
                for (int j = i + 1; j < g; j++)
                    for (int k = 0; k < g; k++)
                        if (k != i && k != j)
                            foreach (var split in splits[k]) Try(MergeAndSplit(labels, i, j, k, split));
            for (int k = 0; k < g; k++)
                foreach (var split in splits[k])
                    for (int half = 0; half < 2; half++)
                        for (int i = 0; i < g; i++)
                            if (i != k) Try(MoveHalf(labels, split, half, i));
            if (improved is null) break;
            best = improved;
        }
        return best;
    }

    /// <summary>
    /// Rows of component k and the ways to cut them in two (side 0/1): 2-means and the principal axis, each in the data's
    /// coordinates and, when <paramref name="whitened"/> is given, in the metric of the shared covariance.
    /// </summary>
    internal static List<(int[] Members, IReadOnlyList<int> Side)> Splits(DenseMatrix x, int[] labels, int k, int seed, DenseMatrix? whitened)
    {
        var result = new List<(int[] Members, IReadOnlyList<int> Side)>();
        var members = Enumerable.Range(0, labels.Length).Where(r => labels[r] == k).ToArray();
        if (members.Length < 2) return result;
        var rows = MclustFitter.Rows(x, members);
        result.Add((members, KMeansClustering.Fit(rows, 2, seed, restarts: 3).TrainingLabels));
        if (PrincipalAxisSides(rows) is { } sides) result.Add((members, sides));
        if (whitened is not null)
        {
            var w = MclustFitter.Rows(whitened, members);
            result.Add((members, KMeansClustering.Fit(w, 2, seed, restarts: 3).TrainingLabels));
            if (PrincipalAxisSides(w) is { } wsides) result.Add((members, wsides));
        }
        return result;
    }

    /// <summary>
    /// The rows in the metric of a shared-covariance mixture: L⁻¹x with L the Cholesky factor of the pooled
    /// within-component covariance of the partition. Null when a component is empty or that covariance is singular.
    /// </summary>
    internal static DenseMatrix? WithinClassWhitened(DenseMatrix x, int[] labels, int g)
    {
        // EEE's M-step on the hard partition is exactly the pooled within-component covariance (scatter / n).
        var pooled = MixtureParameters.MStep(MixtureModelName.EEE, x, MixtureEm.Unmap(labels, g), g);
        if (pooled is null) return null;
        int n = x.Rows, d = x.Cols;
        var l = pooled.Covariances.AsSpan(0, d * d).ToArray();
        if (!DenseLinearAlgebra.Cholesky(l, d)) return null;
        var result = new DenseMatrix(n, d);
        for (int r = 0; r < n; r++)
        {
            var v = result.Row(r);
            x.RowReadOnly(r).CopyTo(v);
            DenseLinearAlgebra.SolveLowerSquaredNorm(l, d, v);
        }
        return result;
    }

    /// <summary>Which side of the rows' mean each row lies along their first principal axis; null if one side is empty.</summary>
    private static int[]? PrincipalAxisSides(DenseMatrix rows)
    {
        var scores = EmbeddingPca.Fit(rows, 1).Transform(rows);
        var sides = Enumerable.Range(0, rows.Rows).Select(r => scores[r, 0] > 0 ? 1 : 0).ToArray();
        int ones = sides.Sum();
        return ones == 0 || ones == rows.Rows ? null : sides;
    }

    private static int[] MergeAndSplit(int[] labels, int i, int j, int k, (int[] Members, IReadOnlyList<int> Side) split)
    {
        var start = (int[])labels.Clone();
        for (int r = 0; r < start.Length; r++) if (start[r] == j) start[r] = i;
        for (int r = 0; r < split.Members.Length; r++) if (split.Side[r] == 1) start[split.Members[r]] = j;
        return start;
    }

    private static int[] MoveHalf(int[] labels, (int[] Members, IReadOnlyList<int> Side) split, int half, int target)
    {
        var start = (int[])labels.Clone();
        for (int r = 0; r < split.Members.Length; r++) if (split.Side[r] == half) start[split.Members[r]] = target;
        return start;
    }
}
