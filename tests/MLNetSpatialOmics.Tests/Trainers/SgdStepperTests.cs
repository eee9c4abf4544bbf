using MLNetSpatialOmics.TorchSharp.GraphLearning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class SgdStepperTests
{
    /// <summary>
    /// Dropping gradients instead of zero-filling them takes the same SGD steps (momentum, weight decay) as torch's
    /// optimizer with zero_grad — also for a parameter the loss does not reach in some steps, which decay and momentum
    /// must still move — and gradients accumulated over two backwards add up as before.
    /// </summary>
    [TestMethod]
    public void StepsEqualTorchSgdWithZeroFilledGradients()
    {
        manual_seed(2);
        using var start = randn(3, 4);
        var reference = new[] { new Parameter(start[0].clone()), new Parameter(start[1].clone()), new Parameter(start[2].clone()) };
        var dropped = new[] { new Parameter(start[0].clone()), new Parameter(start[1].clone()), new Parameter(start[2].clone()) };
        using var torchSgd = optim.SGD(reference, 0.05, momentum: 0.9, weight_decay: 0.01);
        using var stepper = new SgdStepper(dropped, 0.05, 0.9, 0.01);
        using var target = randn(4);
        for (int step = 0; step < 5; step++)
        {
            // Parameter 2 takes part only in even steps; odd steps accumulate two backwards.
            bool all = step % 2 == 0;
            torchSgd.zero_grad();
            stepper.ClearGradients();
            foreach (var (ps, _) in new[] { (reference, 0), (dropped, 1) })
            {
                Loss(ps, target, all).backward();
                if (!all) Loss(ps, target, all).backward();
            }
            torchSgd.step();
            stepper.Step();
            for (int k = 0; k < 3; k++)
                Assert.IsTrue(reference[k].equal(dropped[k]).all().item<bool>(), $"parameter {k} differs after step {step}");
        }
        using var moved = (dropped[2] - start[2]).abs().sum();
        Assert.IsTrue(moved.item<float>() > 0, "the sometimes-unused parameter never moved");
    }

    /// <summary>
    /// Undecayed parameters take torch's steps without weight decay, the others with it; a parameter that is not
    /// among the optimised ones cannot be exempted.
    /// </summary>
    [TestMethod]
    public void UndecayedParametersStepAsWithoutWeightDecay()
    {
        manual_seed(5);
        using var start = randn(3, 4);
        var reference = new[] { new Parameter(start[0].clone()), new Parameter(start[1].clone()), new Parameter(start[2].clone()) };
        var split = new[] { new Parameter(start[0].clone()), new Parameter(start[1].clone()), new Parameter(start[2].clone()) };
        using var decayed = optim.SGD(reference.Take(2), 0.05, momentum: 0.9, weight_decay: 0.1);
        using var plain = optim.SGD(reference.Skip(2), 0.05, momentum: 0.9, weight_decay: 0);
        using var stepper = new SgdStepper(split, 0.05, 0.9, 0.1, undecayed: new[] { split[2] });
        using var target = randn(4);
        for (int step = 0; step < 4; step++)
        {
            decayed.zero_grad();
            plain.zero_grad();
            stepper.ClearGradients();
            Loss(reference, target, step % 2 == 0).backward();
            Loss(split, target, step % 2 == 0).backward();
            decayed.step();
            plain.step();
            stepper.Step();
            for (int k = 0; k < 3; k++)
                Assert.IsTrue(reference[k].equal(split[k]).all().item<bool>(), $"parameter {k} differs after step {step}");
        }
        using var other = new Parameter(zeros(2));
        Assert.ThrowsExactly<ArgumentException>(() => new SgdStepper(split, 0.05, 0.9, 0.1, undecayed: new[] { other }));
    }

    private static Tensor Loss(Parameter[] ps, Tensor target, bool all)
    {
        var loss = (ps[0] * ps[1] - target).square().sum();
        return all ? loss + ps[2].square().sum() * 0.5 : loss;
    }
}
