using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// Multi-scale APPNP: one APPNP propagation per (K, α) scale on the global graph, concatenated and projected back to d
/// by a linear layer. The paper's scales are (2, 0.20), (4, 0.15), (8, 0.10); with a single scale it is the
/// single-scale diffusion of the MS-APPNP-off ablation.
/// </summary>
public sealed class MultiScaleAppnp : nn.Module
{
    public static readonly IReadOnlyList<(int Steps, double Alpha)> PaperScales = new[] { (2, 0.20), (4, 0.15), (8, 0.10) };

    private readonly Linear projection;
    private readonly (int Steps, double Alpha)[] _scales;

    public IReadOnlyList<(int Steps, double Alpha)> Scales => _scales;

    public MultiScaleAppnp(long latentDim, IReadOnlyList<(int Steps, double Alpha)> scales) : base(nameof(MultiScaleAppnp))
    {
        ArgumentNullException.ThrowIfNull(scales);
        if (scales.Count == 0) throw new ArgumentException("multi-scale APPNP needs at least one (K, α) scale.", nameof(scales));
        foreach (var (k, a) in scales)
            if (k < 0 || a is <= 0 or > 1)
                throw new ArgumentOutOfRangeException(nameof(scales), $"each scale needs K ≥ 0 and α in (0, 1]; got ({k}, {a}).");
        _scales = scales.ToArray();
        projection = nn.Linear(latentDim * _scales.Length, latentDim);
        RegisterComponents();
    }

    public Tensor Forward(Tensor h, Func<Tensor, Tensor> globalAdjacency)
    {
        using var scope = NewDisposeScope();
        var outputs = _scales.Select(s => Appnp.Propagate(h, globalAdjacency, s.Steps, s.Alpha)).ToArray();
        var stacked = outputs.Length == 1 ? outputs[0] : cat(outputs, 1);
        return projection.forward(stacked).MoveToOuterDisposeScope();
    }
}
