using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>One cell of a BIC table: the model, the number of components and its BIC (NaN when the fit failed).</summary>
public readonly record struct BicEntry(MixtureModelName Model, int Components, double Bic);

/// <summary>Models fitted over a range of component counts and the one chosen by BIC (largest, mclust's rule).</summary>
public sealed class MixtureSelection
{
    public IReadOnlyList<BicEntry> BicTable { get; }
    public GaussianMixture Best { get; }

    internal MixtureSelection(IReadOnlyList<BicEntry> table, GaussianMixture best)
    {
        BicTable = table;
        Best = best;
    }

    public override string ToString() =>
        "BIC (mclust convention, larger is better):\n" + string.Join("\n", BicTable.Select(e =>
            $"  {e.Model} G={e.Components,-3} {(double.IsNaN(e.Bic) ? "failed" : e.Bic.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))}")) +
        $"\nchosen: {Best.ModelName} with G = {Best.Components}";
}

/// <summary>
/// Gaussian mixtures fitted the way R's <c>Mclust</c> fits them: model-based hierarchical agglomeration (VVV, on the
/// SVD-whitened data, on a random subset of 2000 rows when n is larger) gives a start partition per G; EM (mclust's
/// <c>me</c>) runs from it over all rows; with a subset, mclust's extra M-step on the final posteriors gives the
/// reported parameters. Deterministic for a given seed.
/// </summary>
public static class MclustFitter
{
    /// <summary>Fits a G-component mixture of the given model.</summary>
    public static GaussianMixture Fit(DenseMatrix x, int components, MixtureModelName model = MixtureModelName.EEE, MclustOptions? options = null)
    {
        var selection = FitRange(x, new[] { components }, new[] { model }, options);
        return selection.Best;
    }

    /// <summary>
    /// Fits every (model, G) pair and chooses the largest BIC. The hierarchical initialisation runs once and serves
    /// every G and model, as in mclust.
    /// </summary>
    public static MixtureSelection FitRange(DenseMatrix x, IEnumerable<int> components, IEnumerable<MixtureModelName> models, MclustOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        options ??= new MclustOptions();
        options.Validate();
        var gs = components.Distinct().OrderBy(g => g).ToArray();
        var ms = models.Distinct().ToArray();
        if (gs.Length == 0) throw new ArgumentException("give at least one number of components.", nameof(components));
        if (ms.Length == 0) throw new ArgumentException("give at least one model name.", nameof(models));
        int n = x.Rows, d = x.Cols;
        if (d < 1) throw new ArgumentException("the data has no columns.", nameof(x));
        if (gs[0] < 1 || gs[^1] >= n) throw new ArgumentOutOfRangeException(nameof(components), $"component counts must lie in 1..{n - 1} for {n} rows.");
        CheckFinite(x);

        int[]? subset = n > options.SubsetSize ? DrawSubset(n, options.SubsetSize, options.Seed) : null;
        var hcData = subset is null ? x : Rows(x, subset);
        var starts = options.HierarchicalInputs.Distinct().Select(input => InitialPartitions(hcData, gs, input)).ToArray();

        var table = new List<BicEntry>();
        GaussianMixture? best = null;
        foreach (var g in gs)
            foreach (var model in ms)
            {
                GaussianMixture? fit = null;
                foreach (var partitions in starts)
                {
                    var candidate = FitFromStart(x, hcData, subset, partitions[g], g, model, options);
                    if (candidate is not null && (fit is null || candidate.Bic > fit.Bic)) fit = candidate;
                }
                if (fit is not null && options.SplitMergeSearch) fit = MixtureSplitMerge.Refine(x, fit, options);
                table.Add(new BicEntry(model, g, fit?.Bic ?? double.NaN));
                if (fit is not null && (best is null || fit.Bic > best.Bic)) best = fit;
            }
        if (best is null)
            throw new InvalidOperationException("every mixture fit failed (empty components or singular covariances); try fewer components or another model.");
        return new MixtureSelection(table, best);
    }

    /// <summary>
    /// mclust <c>me(x, model, z = unmap(partition))</c>: EM from a hard partition (labels 0..G−1), M-step first. Null
    /// when EM fails (a component empties or a covariance becomes singular).
    /// </summary>
    public static GaussianMixture? FitFromPartition(DenseMatrix x, int[] partition, MixtureModelName model, MclustOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(partition);
        if (partition.Length != x.Rows) throw new ArgumentException($"{partition.Length} labels for {x.Rows} rows.", nameof(partition));
        options ??= new MclustOptions();
        options.Validate();
        int g = partition.Max() + 1;
        var em = MixtureEm.Run(model, x, MixtureEm.Unmap(partition, g), g, options.Tolerance, options.MaxIterations);
        return em.Failed ? null : Finish(em, em.Parameters!, x.Rows);
    }

    /// <summary>EM on every row of <paramref name="x"/> from given parameters (E-step first); null when EM fails.</summary>
    internal static GaussianMixture? FitFromParameters(DenseMatrix x, MixtureParameters start, MclustOptions options)
    {
        int g = start.Components;
        var z = new double[(long)x.Rows * g];
        start.EStep(x, z);
        var em = MixtureEm.Run(start.Model, x, z, g, options.Tolerance, options.MaxIterations);
        return em.Failed ? null : Finish(em, em.Parameters!, x.Rows);
    }

    private static Dictionary<int, int[]> InitialPartitions(DenseMatrix hcData, int[] gs, HierarchicalInput input)
    {
        if (hcData.Cols == 1)
        {
            // mclust uses quantile classes (qclass) in one dimension; this splits the sorted values into G equal-count runs.
            var result = new Dictionary<int, int[]>();
            foreach (var g in gs) result[g] = QuantileClasses(hcData, g);
            return result;
        }
        var z = input == HierarchicalInput.Vars ? hcData : ModelBasedAgglomeration.SvdTransform(hcData);
        if (z.Cols < 2)
        {
            // Only one informative direction is left (constant columns dropped): split it by quantiles.
            var result = new Dictionary<int, int[]>();
            foreach (var g in gs) result[g] = QuantileClasses(z.Cols == 1 ? z : hcData, g);
            return result;
        }
        return ModelBasedAgglomeration.Partitions(z, gs);
    }

    private static GaussianMixture? FitFromStart(DenseMatrix x, DenseMatrix hcData, int[]? subset, int[] partition, int g,
        MixtureModelName model, MclustOptions options)
    {
        double[] z;
        if (subset is null) z = MixtureEm.Unmap(partition, g);
        else
        {
            // mclust: M-step on the subset from its partition, E-step on all rows, then EM on all rows.
            var start = MixtureParameters.MStep(model, hcData, MixtureEm.Unmap(partition, g), g);
            if (start is null) return null;
            z = new double[(long)x.Rows * g];
            start.EStep(x, z);
        }
        var em = MixtureEm.Run(model, x, z, g, options.Tolerance, options.MaxIterations);
        if (em.Failed) return null;
        var parameters = em.Parameters!;
        if (subset is not null)
        {
            // mclust's summaryMclustBIC replaces the parameters by one more M-step on the final z when a subset
            // was used; loglik, z and classification stay those of me().
            var extra = MixtureParameters.MStep(model, x, em.Z, g);
            if (extra is not null) parameters = extra;
        }
        return Finish(em, parameters, x.Rows);
    }

    private static GaussianMixture Finish(MixtureEm.Result em, MixtureParameters parameters, int n)
    {
        int g = parameters.Components;
        var labels = MixtureEm.MapLabels(em.Z, n, g);
        double entropyTerm = 0;
        for (int i = 0; i < n; i++)
        {
            double zmax = em.Z[(long)i * g + labels[i]];
            if (zmax > 0) entropyTerm += Math.Log(zmax);
        }
        var model = new GaussianMixture(parameters, em.LogLikelihood, n, em.Iterations, em.RelativeChange, labels, 0);
        return new GaussianMixture(parameters, em.LogLikelihood, n, em.Iterations, em.RelativeChange, labels, model.Bic + 2 * entropyTerm);
    }

    /// <summary>A sorted random subset of <paramref name="size"/> row indices (partial Fisher–Yates, seeded).</summary>
    internal static int[] DrawSubset(int n, int size, int seed)
    {
        var rng = new Random(seed);
        var idx = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < size; i++)
        {
            int j = i + rng.Next(n - i);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }
        var subset = idx.AsSpan(0, size).ToArray();
        Array.Sort(subset);
        return subset;
    }

    internal static DenseMatrix Rows(DenseMatrix x, int[] rows)
    {
        var m = new DenseMatrix(rows.Length, x.Cols);
        for (int i = 0; i < rows.Length; i++) x.RowReadOnly(rows[i]).CopyTo(m.Row(i));
        return m;
    }

    private static int[] QuantileClasses(DenseMatrix x, int g)
    {
        int n = x.Rows;
        var order = Enumerable.Range(0, n).OrderBy(i => x[i, 0]).ThenBy(i => i).ToArray();
        var labels = new int[n];
        for (int r = 0; r < n; r++) labels[order[r]] = (int)((long)r * g / n);
        return labels;
    }

    private static void CheckFinite(DenseMatrix x)
    {
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < x.Cols; j++)
                if (!double.IsFinite(x[i, j]))
                    throw new ArgumentException($"row {i}, column {j} of the data is {x[i, j]}; a mixture needs finite values.", nameof(x));
    }
}
