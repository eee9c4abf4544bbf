using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// APPNP propagation Z⁽⁰⁾ = H, Z⁽ᵗ⁺¹⁾ = (1 − α)·Â·Z⁽ᵗ⁾ + α·H. As K grows it converges to the personalised-PageRank
/// solution α(I − (1 − α)Â)⁻¹H (the error shrinks like (1 − α)ᴷ); each step is one SpMM, O(E·d).
/// </summary>
public static class Appnp
{
    public static Tensor Propagate(Tensor h, Func<Tensor, Tensor> adjacency, int steps, double alpha)
    {
        ArgumentNullException.ThrowIfNull(adjacency);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "K must be non-negative.");
        if (alpha is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the teleport α must be in (0, 1].");
        using var scope = NewDisposeScope();
        var teleport = h * alpha;
        var z = h;
        for (int t = 0; t < steps; t++) z = adjacency(z) * (1 - alpha) + teleport;
        return z.alias().MoveToOuterDisposeScope();
    }
}
