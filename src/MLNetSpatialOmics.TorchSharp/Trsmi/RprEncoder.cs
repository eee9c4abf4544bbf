using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// TRSMI's projection–residual–propagation encoder Z = norm(Â·norm(F·W + α·Δ(F·W))): a linear projection W (Xavier,
/// no bias, as PRAGA's encoder), a linear enhancement branch Δ initialised to zero (so training starts from the plain
/// one-layer GCN), a small learnable gate α, and row-wise L2 normalisation before and after the propagation.
/// With <c>enabled: false</c> it is the plain encoder Â·(F·W) (the RPR-off ablation).
/// </summary>
public sealed class RprEncoder : nn.Module
{
    private readonly Parameter weight;
    private readonly Linear enhancement;
    private readonly Parameter gate;

    public bool Enabled { get; }

    public RprEncoder(long inputDim, long outputDim, bool enabled = true, double initialGate = 0.1) : base(nameof(RprEncoder))
    {
        if (inputDim < 1 || outputDim < 1)
            throw new ArgumentOutOfRangeException(nameof(inputDim), $"encoder sizes must be positive; got {inputDim}→{outputDim}.");
        Enabled = enabled;
        weight = new Parameter(empty(inputDim, outputDim));
        nn.init.xavier_uniform_(weight);
        enhancement = nn.Linear(outputDim, outputDim);
        using (no_grad())
        {
            enhancement.weight!.zero_();
            enhancement.bias!.zero_();
        }
        gate = new Parameter(tensor(new[] { (float)initialGate }));
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter Gate => gate;
    public Linear Enhancement => enhancement;

    /// <param name="x">N × D features.</param>
    /// <param name="propagate">multiplication by the (fused, normalised) adjacency Â.</param>
    public Tensor Forward(Tensor x, Func<Tensor, Tensor> propagate)
    {
        ArgumentNullException.ThrowIfNull(propagate);
        using var scope = NewDisposeScope();
        var projected = x.mm(weight);
        if (!Enabled) return propagate(projected).MoveToOuterDisposeScope();
        var enhanced = projected + enhancement.forward(projected) * gate;
        var propagated = propagate(nn.functional.normalize(enhanced, p: 2, dim: 1));
        return nn.functional.normalize(propagated, p: 2, dim: 1).MoveToOuterDisposeScope();
    }
}
