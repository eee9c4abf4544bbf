using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>Σ_m w_m · MSE(X_m, X̂_m): the weighted reconstruction term shared by PRAGA, CRCT and TRSMI.</summary>
public static class ReconstructionLoss
{
    public static Tensor Weighted(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> reconstructions, IReadOnlyList<double> weights)
    {
        if (inputs.Count != reconstructions.Count || inputs.Count != weights.Count)
            throw new ArgumentException($"got {inputs.Count} inputs, {reconstructions.Count} reconstructions and {weights.Count} weights; they must match.");
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (int m = 0; m < inputs.Count; m++)
        {
            var term = nn.functional.mse_loss(reconstructions[m], inputs[m]) * weights[m];
            total = total is null ? term : total + term;
        }
        return (total ?? zeros(1)).MoveToOuterDisposeScope();
    }
}
