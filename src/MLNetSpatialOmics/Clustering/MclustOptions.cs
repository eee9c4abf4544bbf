namespace MLNetSpatialOmics.Clustering;

/// <summary>Which version of the data the hierarchical initialisation agglomerates (mclust's <c>hcUse</c>).</summary>
public enum HierarchicalInput
{
    /// <summary>mclust's default "SVD": the data scaled and rotated by its singular value decomposition (whitened).</summary>
    Svd,
    /// <summary>mclust's "VARS": the original variables.</summary>
    Vars,
}

/// <summary>Settings of the mclust-style fit (defaults are mclust 6's).</summary>
public sealed class MclustOptions
{
    /// <summary>Seed of the random subset drawn for the hierarchical initialisation when n exceeds <see cref="SubsetSize"/>.</summary>
    public int Seed { get; set; } = 2020;
    /// <summary>Rows used by the hierarchical initialisation (mclust.options("subset") = 2000); larger n uses a random subset.</summary>
    public int SubsetSize { get; set; } = 2000;
    /// <summary>EM stops when |l_new − l_old|/(1 + |l_new|) ≤ this (mclust emControl tol[1] = 1e-5).</summary>
    public double Tolerance { get; set; } = 1e-5;
    /// <summary>EM iteration limit (mclust's default is unlimited).</summary>
    public int MaxIterations { get; set; } = 100_000;
    /// <summary>
    /// After EM, search split/merge moves for a partition of higher likelihood (<see cref="MixtureSplitMerge"/>). Off by
    /// default, as in mclust. Costly for many components: a round runs up to G(G−1)(G−2) + 4G(G−1) EM fits (140 for
    /// G = 5: seconds on 1,296 rows; G = 10 on 3,484 rows ran over ten minutes). Pruning the moves to the closest means,
    /// as SMEM prunes them, lost the optima the search exists to find.
    /// </summary>
    public bool SplitMergeSearch { get; set; }
    /// <summary>
    /// Data the hierarchical initialisation runs on (mclust.options("hcUse"), default "SVD" alone). With several, each
    /// gives a start partition per (model, G) and the fit with the larger BIC is kept (ties: the earlier input), the
    /// multiple-initialisation strategy of Scrucca &amp; Raftery (2015).
    /// </summary>
    public IReadOnlyList<HierarchicalInput> HierarchicalInputs { get; set; } = new[] { HierarchicalInput.Svd };

    internal void Validate()
    {
        if (SubsetSize < 2) throw new ArgumentOutOfRangeException(nameof(SubsetSize), SubsetSize, "the hierarchical subset needs at least 2 rows.");
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be ≥ 0.");
        if (HierarchicalInputs is null || HierarchicalInputs.Count == 0)
            throw new ArgumentException("give at least one hierarchical input (Svd, Vars).", nameof(HierarchicalInputs));
        foreach (var input in HierarchicalInputs)
            if (!Enum.IsDefined(input)) throw new ArgumentOutOfRangeException(nameof(HierarchicalInputs), input, "unknown hierarchical input.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be ≥ 1.");
    }
}
