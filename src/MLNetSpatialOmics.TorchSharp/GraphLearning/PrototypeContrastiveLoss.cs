using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// PRAGA's prototype-aware contrastive loss. Each spot is assigned to its nearest prototype (Euclidean); for every
/// prototype c_k with members and non-members, the log-ratio −log( mean_{i∈k} e^{z_i·c_k/τ} / mean_i e^{z_i·c_k/τ} )
/// is taken, and the terms are averaged over all prototypes. Computed as log-sum-exp over an N×K logit matrix: O(N·K·d).
/// </summary>
public static class PrototypeContrastiveLoss
{
    /// <param name="embeddings">N×d (requires grad).</param>
    /// <param name="prototypes">K×d, constant.</param>
    /// <param name="assignment">optional fixed assignment (length N, int64); nearest prototype when null.</param>
    public static Tensor Compute(Tensor embeddings, Tensor prototypes, double temperature, Tensor? assignment = null)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "τ must be positive.");
        using var scope = NewDisposeScope();
        long n = embeddings.shape[0], k = prototypes.shape[0];
        var protos = prototypes.to_type(embeddings.dtype).detach();
        var labels = assignment ?? NearestPrototype(embeddings.detach(), protos);
        var onehot = nn.functional.one_hot(labels, k).to_type(embeddings.dtype);
        var counts = onehot.sum(dim: 0);
        var logits = embeddings.mm(protos.t()) / temperature;
        var logNeg = logits.logsumexp(dim: 0) - Math.Log(n);
        // Non-members get a finite −1e9 rather than −inf: their exp underflows to exactly 0 all the same, but a
        // prototype with no members in a mini-batch must not produce NaN gradients through the discarded branch below.
        var masked = logits + (onehot - 1) * 1e9;
        var logPos = masked.logsumexp(dim: 0) - counts.clamp_min(1).log();
        var valid = counts.gt(0).logical_and(counts.lt(n)).to_type(embeddings.dtype);
        var perPrototype = where(valid.gt(0), logNeg - logPos, zeros_like(logNeg));
        var loss = perPrototype.sum() / k;
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Index of the nearest prototype (squared Euclidean distance) for every row.</summary>
    public static Tensor NearestPrototype(Tensor embeddings, Tensor prototypes)
    {
        using var scope = NewDisposeScope();
        var protos = prototypes.to_type(embeddings.dtype);
        var distance = protos.square().sum(1).unsqueeze(0) - 2 * embeddings.mm(protos.t());
        return distance.argmin(1).MoveToOuterDisposeScope();
    }
}
