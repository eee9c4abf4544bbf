using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>A fitted k-means partition: centroids, training labels and the within-cluster sum of squares.</summary>
public sealed class KMeansModel
{
    public DenseMatrix Centroids { get; }
    public IReadOnlyList<int> TrainingLabels { get; }
    /// <summary>Σ_i ‖x_i − c_label(i)‖² on the training data.</summary>
    public double Inertia { get; }
    public int Iterations { get; }

    internal KMeansModel(DenseMatrix centroids, int[] labels, double inertia, int iterations)
    {
        Centroids = centroids;
        TrainingLabels = labels;
        Inertia = inertia;
        Iterations = iterations;
    }

    public int[] Predict(DenseMatrix x) => NearestPrototype.Assign(x, Centroids);
}

/// <summary>
/// Lloyd's k-means in double precision with k-means++ seeding (greedy variant as in scikit-learn: 2 + ⌊ln k⌋
/// candidates per step), several restarts, best inertia kept. Deterministic for a seed. Written here rather than
/// wrapping ML.NET's KMeansTrainer, which works in float, picks its own initialisation and exposes no restarts/seed
/// control per restart; its results are not reproducible against the reference pipelines.
/// </summary>
public static class KMeansClustering
{
    public static KMeansModel Fit(DenseMatrix x, int clusters, int seed = 0, int restarts = 10, int maxIterations = 300, double tolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Rows, d = x.Cols;
        if (clusters < 1 || clusters > n) throw new ArgumentOutOfRangeException(nameof(clusters), clusters, $"must lie in 1..{n} (the number of rows).");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "must be ≥ 1.");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                if (!double.IsFinite(x[i, j])) throw new ArgumentException($"row {i}, column {j} of the data is {x[i, j]}; k-means needs finite values.", nameof(x));
        // Tolerance relative to the mean per-feature variance, as scikit-learn scales it.
        double varianceScale = 0;
        for (int j = 0; j < d; j++)
        {
            double m = 0, s = 0;
            for (int i = 0; i < n; i++) m += x[i, j];
            m /= n;
            for (int i = 0; i < n; i++) { double t = x[i, j] - m; s += t * t; }
            varianceScale += s / n;
        }
        double tol = tolerance * varianceScale / Math.Max(d, 1);

        var rng = new Random(seed);
        KMeansModel? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var centroids = PlusPlus(x, clusters, rng);
            var model = Lloyd(x, centroids, maxIterations, tol);
            if (best is null || model.Inertia < best.Inertia) best = model;
        }
        return best!;
    }

    private static DenseMatrix PlusPlus(DenseMatrix x, int k, Random rng)
    {
        int n = x.Rows, d = x.Cols;
        var centroids = new DenseMatrix(k, d);
        int trials = 2 + (int)Math.Log(k);
        int first = rng.Next(n);
        x.RowReadOnly(first).CopyTo(centroids.Row(0));
        var closest = new double[n];
        for (int i = 0; i < n; i++) closest[i] = SquaredDistance(x.Data, i * d, x.Data, first * d, d);
        double potential = closest.Sum();
        for (int c = 1; c < k; c++)
        {
            int bestCandidate = -1;
            double bestPotential = double.PositiveInfinity;
            double[]? bestDist = null;
            for (int t = 0; t < trials; t++)
            {
                int cand = SampleProportional(closest, potential, rng);
                double pot = 0;
                var cd = new double[n];
                for (int i = 0; i < n; i++)
                {
                    cd[i] = Math.Min(closest[i], SquaredDistance(x.Data, i * d, x.Data, cand * d, d));
                    pot += cd[i];
                }
                if (pot < bestPotential) { bestPotential = pot; bestCandidate = cand; bestDist = cd; }
            }
            x.RowReadOnly(bestCandidate).CopyTo(centroids.Row(c));
            closest = bestDist!;
            potential = bestPotential;
        }
        return centroids;
    }

    private static int SampleProportional(double[] weights, double total, Random rng)
    {
        if (!(total > 0)) return rng.Next(weights.Length);
        double u = rng.NextDouble() * total, acc = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            acc += weights[i];
            if (acc > u) return i;
        }
        return weights.Length - 1;
    }

    private static KMeansModel Lloyd(DenseMatrix x, DenseMatrix centroids, int maxIterations, double tol)
    {
        int n = x.Rows, d = x.Cols, k = centroids.Rows;
        int[] labels = Array.Empty<int>();
        int iter = 0;
        while (true)
        {
            iter++;
            labels = AssignFast(x, centroids);
            var sums = new double[k * d];
            var counts = new int[k];
            for (int i = 0; i < n; i++)
            {
                counts[labels[i]]++;
                var row = x.RowReadOnly(i);
                for (int j = 0; j < d; j++) sums[labels[i] * d + j] += row[j];
            }
            double shift = 0;
            var next = new DenseMatrix(k, d);
            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0) { centroids.RowReadOnly(c).CopyTo(next.Row(c)); continue; } // keep an empty cluster's centre
                for (int j = 0; j < d; j++) next[c, j] = sums[c * d + j] / counts[c];
                shift += SquaredDistance(next.RowReadOnly(c), centroids.RowReadOnly(c));
            }
            centroids = next;
            if (shift <= tol || iter >= maxIterations) break;
        }
        // Final assignment against the final centroids, so labels and centroids are consistent.
        labels = NearestPrototype.Assign(x, centroids, out var dist);
        double inertia = 0;
        for (int i = 0; i < n; i++) inertia += dist[i, labels[i]];
        return new KMeansModel(centroids, labels, inertia, iter);
    }

    // The Lloyd loop's assignment on raw arrays (no distance matrix): this is the hot loop.
    private static int[] AssignFast(DenseMatrix x, DenseMatrix centroids)
    {
        int n = x.Rows, d = x.Cols, k = centroids.Rows;
        var labels = new int[n];
        double[] xd = x.Data, cd = centroids.Data;
        ParallelRows.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                int xo = i * d, best = 0;
                double bestDist = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    int co = c * d;
                    double s = 0;
                    for (int j = 0; j < d; j++) { double t = xd[xo + j] - cd[co + j]; s += t * t; }
                    if (s < bestDist) { bestDist = s; best = c; }
                }
                labels[i] = best;
            }
        });
        return labels;
    }

    private static double SquaredDistance(double[] a, int ao, double[] b, int bo, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++) { double t = a[ao + j] - b[bo + j]; s += t * t; }
        return s;
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) { double t = a[j] - b[j]; s += t * t; }
        return s;
    }
}
