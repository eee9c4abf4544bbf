using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// The global/local gate of Z* = (1 − β)·Z_loc + β·Z_g.
/// <para>
/// Scheduled (the paper's Sched-β): β_t = min(β_{t−1}, c(t)·sigmoid(b)), with b learnable (started at
/// <c>initialLogit</c>, the paper's β₀; sigmoid(2) ≈ 0.88 favours the global branch early) and c(t) a cosine ceiling
/// cooling from 1 to <c>floor</c> over the epochs. The running minimum is what keeps β monotonically non-increasing
/// whatever the gradient does to b; while the minimum is the current value, b receives gradients.
/// After training β stays at its last value (<see cref="Current"/>), which is what inference uses.
/// </para>
/// Unscheduled (Sched-β off): a constant β (<c>fixedBeta</c>), not learned.
/// </summary>
public sealed class ScheduledGate : nn.Module
{
    private readonly Parameter logit;
    private readonly double _floor;
    private readonly double _fixedBeta;

    public bool Scheduled { get; }
    /// <summary>The last committed β (1 before training when scheduled).</summary>
    public double Current { get; private set; }

    public ScheduledGate(bool scheduled, double initialLogit = 2.0, double floor = 0.2, double fixedBeta = 0.5) : base(nameof(ScheduledGate))
    {
        if (floor is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(floor), floor, "the cooling floor must be in [0, 1].");
        if (fixedBeta is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fixedBeta), fixedBeta, "β must be in [0, 1].");
        Scheduled = scheduled;
        _floor = floor;
        _fixedBeta = fixedBeta;
        Current = scheduled ? 1.0 : fixedBeta;
        logit = new Parameter(tensor(new[] { (float)initialLogit }), requires_grad: scheduled);
        RegisterComponents();
    }

    /// <summary>c(t): cosine from 1 at the first epoch to the floor at the last.</summary>
    public double Ceiling(int epoch, int epochs)
    {
        if (epochs <= 1) return 1.0;
        double progress = Math.Clamp(epoch / (double)(epochs - 1), 0, 1);
        return _floor + (1 - _floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>β for a training epoch (a 1-element tensor; differentiable in b while it is below the running minimum).</summary>
    public Tensor TrainingBeta(int epoch, int epochs)
    {
        if (!Scheduled) return tensor(new[] { (float)_fixedBeta }, device: logit.device);
        var proposed = sigmoid(logit) * Ceiling(epoch, epochs);
        if (proposed.item<float>() <= Current) return proposed;
        proposed.Dispose();
        return tensor(new[] { (float)Current }, device: logit.device);
    }

    /// <summary>Records the β the epoch used, so later epochs can only lower it.</summary>
    public void Commit(Tensor beta) => Current = Math.Min(Current, beta.item<float>());

    /// <summary>β for inference: the last training value.</summary>
    public Tensor InferenceBeta() => tensor(new[] { (float)Current }, device: logit.device);

    /// <summary>Restores a saved β.</summary>
    public void Restore(double beta) => Current = beta;

    public static Tensor Mix(Tensor local, Tensor global, Tensor beta) => local * (1 - beta) + global * beta;
}
