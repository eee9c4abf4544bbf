namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// Where the covariance-guided augmentation enters the objective: the rows of the paper's ablation (Table 5).
/// </summary>
public enum CrctVariant
{
    /// <summary>No augmentation: L_rec + L_graph + β·L_cluster on real embeddings only (the PRAGA row).</summary>
    Praga,
    /// <summary>"L_aug": augmented embeddings are decoded and reconstructed (λ·L_aug); the cluster term sees real embeddings only.</summary>
    AugmentedReconstruction,
    /// <summary>"L_cluster": the cluster term runs on the extended set of real + augmented embeddings; no L_aug.</summary>
    AugmentedCluster,
    /// <summary>Full CRCT: both of the above (Eq. 14).</summary>
    Full,
}

public static class CrctVariantExtensions
{
    public static bool AugmentsReconstruction(this CrctVariant variant) => variant is CrctVariant.AugmentedReconstruction or CrctVariant.Full;
    public static bool AugmentsCluster(this CrctVariant variant) => variant is CrctVariant.AugmentedCluster or CrctVariant.Full;
    public static bool Augments(this CrctVariant variant) => variant.AugmentsReconstruction() || variant.AugmentsCluster();

    /// <summary>Parses the CLI / table names: praga|none, l_aug|aug|reconstruction, l_cluster|cluster, full|crct.</summary>
    public static CrctVariant Parse(string name) => (name ?? "").Trim().ToLowerInvariant().Replace("-", "_") switch
    {
        "praga" or "none" => CrctVariant.Praga,
        "l_aug" or "aug" or "reconstruction" or "augmentedreconstruction" => CrctVariant.AugmentedReconstruction,
        "l_cluster" or "cluster" or "augmentedcluster" => CrctVariant.AugmentedCluster,
        "full" or "crct" => CrctVariant.Full,
        _ => throw new ArgumentException($"unknown CRCT variant '{name}'; use praga, l_aug, l_cluster or full.", nameof(name)),
    };

    /// <summary>The label used in Table 5.</summary>
    public static string TableName(this CrctVariant variant) => variant switch
    {
        CrctVariant.Praga => "PRAGA",
        CrctVariant.AugmentedReconstruction => "L_aug",
        CrctVariant.AugmentedCluster => "L_cluster",
        _ => "CRCT",
    };
}
