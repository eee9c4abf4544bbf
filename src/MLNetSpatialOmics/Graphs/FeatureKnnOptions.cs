namespace MLNetSpatialOmics.Graphs;

/// <summary>Distance between feature vectors.</summary>
public enum FeatureMetric
{
    /// <summary>‖u − v‖₂.</summary>
    Euclidean,
    /// <summary>1 − u·v / (‖u‖‖v‖). A zero vector has no defined distance: it is nobody's neighbour and has none.</summary>
    Cosine,
    /// <summary>
    /// 1 − Pearson r(u, v) (scipy's <c>correlation</c>; PRAGA/SpatialGlue's feature graph). A constant row has no
    /// defined distance (0/0): it is nobody's neighbour and its own slots stay empty (index −1, distance +∞) —
    /// the same outcome as sklearn, which sorts the NaN distances last.
    /// </summary>
    Correlation,
}

/// <summary>Exact or approximate search.</summary>
public enum KnnAlgorithm
{
    /// <summary>Exact up to <see cref="FeatureKnnOptions.ExactThreshold"/> points, NN-descent above it.</summary>
    Auto,
    /// <summary>Blocked, multi-threaded brute force: O(N²·d) time, O(N·k) memory.</summary>
    Exact,
    /// <summary>NN-descent seeded by random-projection trees; deterministic for a given seed.</summary>
    Approximate,
}

public sealed class FeatureKnnOptions
{
    /// <summary>Neighbours per point (PRAGA: 20). Must be smaller than the number of points.</summary>
    public int K { get; set; } = 20;
    public FeatureMetric Metric { get; set; } = FeatureMetric.Correlation;
    public KnnAlgorithm Algorithm { get; set; } = KnnAlgorithm.Auto;
    /// <summary>With <see cref="KnnAlgorithm.Auto"/>, sections of at most this many points are searched exactly.</summary>
    public int ExactThreshold { get; set; } = 30_000;
    /// <summary>Seed of the approximate search (random-projection trees and candidate sampling).</summary>
    public int Seed { get; set; }
    /// <summary>-1: all cores. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>NN-descent: number of random-projection trees for the initial graph (0: automatic).</summary>
    public int Trees { get; set; }
    /// <summary>
    /// NN-descent: length of the lists kept during the search (≥ K; 0: automatic). Longer lists find more of the
    /// true K nearest at a higher cost; the result is truncated to K. Automatic: 1.5·K.
    /// </summary>
    public int ListSize { get; set; }
    /// <summary>NN-descent: neighbours sampled per point and direction in each round (0: automatic).</summary>
    public int MaxCandidates { get; set; }
    /// <summary>NN-descent: at most this many rounds.</summary>
    public int MaxIterations { get; set; } = 20;
    /// <summary>NN-descent stops when a round changes fewer than Delta·N·k list entries.</summary>
    public double Delta { get; set; } = 0.001;

    internal void Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "feature kNN needs K ≥ 1.");
        if (ExactThreshold < 0) throw new ArgumentOutOfRangeException(nameof(ExactThreshold), ExactThreshold, "must be ≥ 0.");
        if (Trees < 0) throw new ArgumentOutOfRangeException(nameof(Trees), Trees, "must be ≥ 0 (0 = automatic).");
        if (MaxCandidates < 0) throw new ArgumentOutOfRangeException(nameof(MaxCandidates), MaxCandidates, "must be ≥ 0 (0 = automatic).");
        if (ListSize != 0 && ListSize < K) throw new ArgumentOutOfRangeException(nameof(ListSize), ListSize, $"must be 0 (automatic) or ≥ K = {K}.");
        if (MaxIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be ≥ 0.");
        if (!(Delta >= 0)) throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "must be ≥ 0.");
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "must be -1 (all cores) or ≥ 1.");
    }
}
