namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>How CRCT's prototypes (hence the pseudo-labels ŷ) are computed at every refresh.</summary>
public enum CrctPrototypeMethod
{
    /// <summary>PRAGA's: the L2-normalised means of a diagonal Gaussian mixture (the shared core's default).</summary>
    GaussianMixture,
    /// <summary>CRCT's Figure 2: k-means centroids (k-means++ seeding, best of 10 restarts), L2-normalised.</summary>
    KMeans,
}
