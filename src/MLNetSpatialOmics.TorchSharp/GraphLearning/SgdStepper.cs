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
    private readonly optim.Optimizer? _undecayed;

    /// <param name="undecayed">
    /// parameters among <paramref name="parameters"/> that get the same steps without weight decay, because the caller
    /// decays them itself (<see cref="BlockEdgeDecay"/>); SGD acts elementwise, so a second optimiser is the same as a
    /// parameter group.
    /// </param>
    public SgdStepper(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay,
        IEnumerable<Parameter>? undecayed = null)
    {
        _parameters = parameters.ToList();
        var exempt = undecayed?.ToList() ?? new List<Parameter>();
        var decayed = _parameters.Where(p => !exempt.Any(e => ReferenceEquals(e, p))).ToList();
        if (exempt.Any(e => !_parameters.Any(p => ReferenceEquals(e, p))))
            throw new ArgumentException("every undecayed parameter must be one of the parameters.", nameof(undecayed));
        _optimizer = optim.SGD(decayed, learningRate, momentum: momentum, weight_decay: weightDecay);
        if (exempt.Count > 0) _undecayed = optim.SGD(exempt, learningRate, momentum: momentum, weight_decay: 0);
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
        _undecayed?.step();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _undecayed?.Dispose();
    }
}
