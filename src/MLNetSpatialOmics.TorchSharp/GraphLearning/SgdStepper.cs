using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// The trainers' SGD (momentum, weight decay) with PyTorch's <c>zero_grad(set_to_none=True)</c>, which TorchSharp's
/// optimizer lacks (it zero-fills). Dropping the gradients lets the next backward hand its gradient tensor to each
/// parameter instead of adding it into a zero-filled one; with a million-spot section's 35M learnable edge weights per
/// modality and one step per block, the fill and the add were two passes over every weight per block. The steps are
/// the same: before each step a parameter the backward did not reach gets the zero gradient zero-filling would have
/// left, so weight decay and momentum still move it.
/// </summary>
internal sealed class SgdStepper : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly optim.Optimizer _optimizer;

    public SgdStepper(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay)
    {
        _parameters = parameters.ToList();
        _optimizer = optim.SGD(_parameters, learningRate, momentum: momentum, weight_decay: weightDecay);
    }

    /// <summary>Forgets every parameter's gradient (the next backward starts from none).</summary>
    public void ClearGradients()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            if (grad is not null) p.grad = null;
        }
    }

    /// <summary>One SGD step on the gradients accumulated since <see cref="ClearGradients"/>.</summary>
    public void Step()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            if (grad is not null) continue;
            using var zero = zeros_like(p);
            p.grad = zero;   // the parameter keeps its own reference; this wrapper is released here
        }
        _optimizer.step();
    }

    public void Dispose() => _optimizer.Dispose();
}
