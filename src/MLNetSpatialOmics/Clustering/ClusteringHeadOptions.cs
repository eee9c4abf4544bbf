using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.Clustering;

/// <summary>Which clustering the head fits.</summary>
public enum ClusteringHeadMethod
{
    /// <summary>Gaussian mixture fitted the mclust way (hierarchical initialisation + EM).</summary>
    GaussianMixture,
    /// <summary>k-means (k-means++ seeding, restarts); Score = squared distance to each centroid.</summary>
    KMeans,
}

/// <summary>Options of the clustering head (<c>mlContext.Clustering.Trainers.SpatialClusteringHead</c>).</summary>
public sealed class ClusteringHeadOptions
{
    /// <summary>Input vector column (an embedding or any feature vector).</summary>
    public string FeatureColumnName { get; set; } = SectionColumns.Embedding;
    public string PredictedLabelColumnName { get; set; } = SectionColumns.PredictedLabel;
    public string ScoreColumnName { get; set; } = SectionColumns.Score;

    public ClusteringHeadMethod Method { get; set; } = ClusteringHeadMethod.GaussianMixture;
    /// <summary>Mixture covariance structure (mclust name); EEE is what SpatialGlue/PRAGA use.</summary>
    public MixtureModelName ModelName { get; set; } = MixtureModelName.EEE;
    /// <summary>Number of clusters when <see cref="MinClusters"/>/<see cref="MaxClusters"/> are not set.</summary>
    public int Clusters { get; set; } = 10;
    /// <summary>With <see cref="MaxClusters"/>: choose K in this range by BIC (mixtures only; mclust's rule, largest BIC).</summary>
    public int? MinClusters { get; set; }
    public int? MaxClusters { get; set; }
    /// <summary>Principal components of the input kept before clustering (the papers use 20); 0 = cluster the input as is.</summary>
    public int PcaComponents { get; set; } = 20;
    /// <summary>Seed: the hierarchical-initialisation subset (mixtures) or the k-means++ draws.</summary>
    public int Seed { get; set; } = 2020;
    /// <summary>Rows used by the mixture's hierarchical initialisation (mclust: 2000).</summary>
    public int InitializationSubsetSize { get; set; } = 2000;
    /// <summary>Data the mixture's hierarchical initialisation runs on (see <see cref="MclustOptions.HierarchicalInputs"/>; mclust: SVD only).</summary>
    public IReadOnlyList<HierarchicalInput> HierarchicalInputs { get; set; } = new[] { HierarchicalInput.Svd };
    /// <summary>EM relative log-likelihood tolerance (mclust: 1e-5).</summary>
    public double Tolerance { get; set; } = 1e-5;
    /// <summary>k-means restarts (best inertia kept).</summary>
    public int KMeansRestarts { get; set; } = 10;
    /// <summary>Mixtures only: search split/merge moves for a higher-likelihood partition after EM (<see cref="MclustOptions.SplitMergeSearch"/>).</summary>
    public bool SplitMergeSearch { get; set; }

    internal int[] ClusterRange()
    {
        if (MinClusters is null && MaxClusters is null)
        {
            if (Clusters < 1) throw new ArgumentOutOfRangeException(nameof(Clusters), Clusters, "must be ≥ 1.");
            return new[] { Clusters };
        }
        int lo = MinClusters ?? 1, hi = MaxClusters ?? lo;
        if (lo < 1 || hi < lo)
            throw new ArgumentOutOfRangeException(nameof(MinClusters), $"the cluster range {lo}..{hi} is empty or starts below 1.");
        if (Method == ClusteringHeadMethod.KMeans && lo != hi)
            throw new ArgumentException("choosing K over a range is done by BIC and needs Method = GaussianMixture.");
        return Enumerable.Range(lo, hi - lo + 1).ToArray();
    }
}
