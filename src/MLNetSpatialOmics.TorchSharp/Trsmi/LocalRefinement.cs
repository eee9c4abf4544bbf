using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// Conservative local update Z_loc = Z_base + α·Z_graph, Z_graph = [Z_base ‖ Â·Z_base]·W (self and neighbour features
/// through one linear layer), with α = sigmoid(a) ∈ [0, 1] starting small.
/// </summary>
public sealed class LocalRefinement : nn.Module
{
    private readonly Linear mix;
    private readonly Parameter gate_logit;

    public LocalRefinement(long latentDim, double initialGate = 0.1) : base(nameof(LocalRefinement))
    {
        if (initialGate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(initialGate), initialGate, "the gate starts in (0, 1).");
        mix = nn.Linear(2 * latentDim, latentDim);
        gate_logit = new Parameter(tensor(new[] { (float)Math.Log(initialGate / (1 - initialGate)) }));
        RegisterComponents();
    }

    public Tensor Gate() => sigmoid(gate_logit);

    public Tensor Forward(Tensor zBase, Func<Tensor, Tensor> adjacency)
    {
        using var scope = NewDisposeScope();
        var zGraph = mix.forward(cat(new[] { zBase, adjacency(zBase) }, 1));
        return (zBase + zGraph * Gate()).MoveToOuterDisposeScope();
    }
}
