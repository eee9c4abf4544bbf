namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// Which spatial factor and which non-spatial factor each feature of a modality loads on (the one-hot rows of NSF's
/// W and V). Drawn from one stream per <c>seed</c>: all spatial indices first, then all non-spatial ones, as NSF does,
/// so modalities simulated with the same seed share their loadings (the first 100 RNA features load like the 100
/// proteins), as in SpatialGlue's triplet data.
/// </summary>
public sealed class FeatureLoadings
{
    public int[] SpatialFactor { get; }
    public int[] NonSpatialFactor { get; }

    private FeatureLoadings(int[] spatial, int[] nonSpatial)
    {
        SpatialFactor = spatial;
        NonSpatialFactor = nonSpatial;
    }

    internal const ulong Stream = 0x4C4F4144; // "LOAD"

    public static FeatureLoadings Draw(int seed, int featureCount, int spatialFactorCount, int nonSpatialFactorCount)
    {
        var rng = SimulationRandom.ForStream(seed, Stream);
        var spatial = new int[featureCount];
        var nonSpatial = new int[featureCount];
        for (int j = 0; j < featureCount; j++) spatial[j] = rng.NextInt(spatialFactorCount);
        for (int j = 0; j < featureCount; j++) nonSpatial[j] = rng.NextInt(nonSpatialFactorCount);
        return new FeatureLoadings(spatial, nonSpatial);
    }
}
