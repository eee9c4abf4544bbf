namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// Covariance structures of a Gaussian mixture, named as in R's mclust (volume, shape, orientation: E = equal across
/// components, V = variable, I = identity).
/// </summary>
public enum MixtureModelName
{
    /// <summary>Spherical, equal volume: Σ_k = λI.</summary>
    EII,
    /// <summary>Spherical, varying volume: Σ_k = λ_k I.</summary>
    VII,
    /// <summary>Diagonal, shared: Σ_k = diag(δ).</summary>
    EEI,
    /// <summary>Diagonal, varying: Σ_k = diag(δ_k).</summary>
    VVI,
    /// <summary>Ellipsoidal, one shared full covariance (what SpatialGlue/PRAGA use via mclust).</summary>
    EEE,
    /// <summary>Ellipsoidal, a full covariance per component.</summary>
    VVV,
}

internal static class MixtureModelNameExtensions
{
    public static bool IsShared(this MixtureModelName m) => m is MixtureModelName.EII or MixtureModelName.EEI or MixtureModelName.EEE;
    public static bool IsFull(this MixtureModelName m) => m is MixtureModelName.EEE or MixtureModelName.VVV;

    /// <summary>Free covariance parameters (mclust's nVarParams).</summary>
    public static int CovarianceParameters(this MixtureModelName m, int g, int d) => m switch
    {
        MixtureModelName.EII => 1,
        MixtureModelName.VII => g,
        MixtureModelName.EEI => d,
        MixtureModelName.VVI => g * d,
        MixtureModelName.EEE => d * (d + 1) / 2,
        MixtureModelName.VVV => g * d * (d + 1) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(m), m, "unknown mixture model name."),
    };

    /// <summary>mclust's df: (G − 1) mixing proportions + G·d means + the covariance parameters.</summary>
    public static int FreeParameters(this MixtureModelName m, int g, int d) => g - 1 + g * d + m.CovarianceParameters(g, d);
}
