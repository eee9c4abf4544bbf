namespace MLNetSpatialOmics.Clustering;

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

    internal void Validate()
    {
        if (SubsetSize < 2) throw new ArgumentOutOfRangeException(nameof(SubsetSize), SubsetSize, "the hierarchical subset needs at least 2 rows.");
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be ≥ 0.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be ≥ 1.");
    }
}
