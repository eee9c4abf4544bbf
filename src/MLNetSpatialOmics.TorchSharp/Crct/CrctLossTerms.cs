using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// The terms of Eq. 14 for one epoch, unweighted, and the weights that combine them:
/// Total = L_rec + L_graph + λ·L_aug + β·L_cluster. Terms a variant switches off are zero tensors.
/// Tensors live in the caller's dispose scope.
/// </summary>
internal sealed class CrctLossTerms
{
    public required Tensor Reconstruction { get; init; }
    public required Tensor Augmented { get; init; }
    public required Tensor Graph { get; init; }
    public required Tensor Cluster { get; init; }
    public required Tensor Total { get; init; }
    public required double Lambda { get; init; }
    public required double Beta { get; init; }
    public required double Rho { get; init; }
    public required int PseudoClasses { get; init; }
    /// <summary>The learned feature graphs' normalised edge values this epoch (for the EMA update after the step).</summary>
    public required Tensor[] FeatureValues { get; init; }

    public CrctProgress ToProgress(int epoch, int epochs) => new(epoch, epochs, Total.item<float>(), Reconstruction.item<float>(),
        Augmented.item<float>(), Graph.item<float>(), Cluster.item<float>(), Lambda, Beta, Rho, PseudoClasses);
}
