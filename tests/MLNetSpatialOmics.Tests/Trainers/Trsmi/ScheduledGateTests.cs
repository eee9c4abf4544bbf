using MLNetSpatialOmics.TorchSharp.Trsmi;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class ScheduledGateTests
{
    [TestMethod]
    public void BetaNeverRisesEvenWhenTheGradientPushesItUp()
    {
        var gate = new ScheduledGate(scheduled: true, initialLogit: 0.0);
        var optimizer = optim.SGD(gate.parameters(), 5.0);
        double previous = double.MaxValue;
        bool learned = false;
        const int epochs = 40;
        for (int e = 0; e < epochs; e++)
        {
            var beta = gate.TrainingBeta(e, epochs);
            double value = beta.item<float>();
            Assert.IsTrue(value <= previous + 1e-7, $"β rose from {previous} to {value} at epoch {e}");
            previous = value;
            gate.Commit(beta);
            optimizer.zero_grad();
            if (beta.requires_grad)
            {
                (-beta).sum().backward();   // the loss wants a larger β
                learned = true;
                optimizer.step();
            }
        }
        Assert.IsTrue(learned, "b never received a gradient");
        Assert.IsTrue(gate.Current <= 0.2 + 1e-6, $"the cooling ceiling did not bring β down: {gate.Current}");
        Assert.AreEqual(gate.Current, gate.InferenceBeta().item<float>(), 1e-7);
    }

    [TestMethod]
    public void StartsAtThePaperInitialGateAndFollowsTheCeiling()
    {
        var gate = new ScheduledGate(scheduled: true, initialLogit: 2.0, floor: 0.2);
        Assert.AreEqual(1 / (1 + Math.Exp(-2.0)), gate.TrainingBeta(0, 100).item<float>(), 1e-6);
        Assert.AreEqual(0.2, gate.Ceiling(99, 100), 1e-12);
        Assert.AreEqual(0.6, gate.Ceiling(0, 3) * 0.5 + gate.Ceiling(2, 3) * 0.5, 1e-12);
    }

    [TestMethod]
    public void UnscheduledGateIsAConstant()
    {
        var gate = new ScheduledGate(scheduled: false, fixedBeta: 0.5);
        for (int e = 0; e < 5; e++) Assert.AreEqual(0.5f, gate.TrainingBeta(e, 5).item<float>());
        Assert.IsFalse(gate.parameters().Any(p => p.requires_grad));
    }
}
