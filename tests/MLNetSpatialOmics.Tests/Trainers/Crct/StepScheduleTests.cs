using MLNetSpatialOmics.TorchSharp.Crct;

namespace MLNetSpatialOmics.Tests.Trainers.Crct;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class StepScheduleTests
{
    [TestMethod]
    public void PaperSchedulesSwitchAtTheStatedEpochs()
    {
        var hln = StepSchedule.LymphNodeAugmentation();
        Assert.AreEqual(0.05, hln.At(0));
        Assert.AreEqual(0.05, hln.At(4));
        Assert.AreEqual(0.5, hln.At(5));
        Assert.AreEqual(0.5, hln.At(14));
        Assert.AreEqual(1.0, hln.At(15));
        var other = StepSchedule.DefaultAugmentation();
        Assert.AreEqual(0.01, other.At(99));
        Assert.AreEqual(0.2, other.At(100));
        Assert.AreEqual(0.2, other.At(199));
        Assert.AreEqual(0.5, other.At(200));
        var beta = StepSchedule.DefaultCluster();
        Assert.AreEqual(0.0, beta.At(99));
        Assert.AreEqual(1.0, beta.At(100));
    }

    [TestMethod]
    public void MalformedSchedulesAreRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new StepSchedule(new[] { 1.0 }, new[] { 3 }));
        Assert.ThrowsExactly<ArgumentException>(() => new StepSchedule(new[] { 1.0, 2, 3 }, new[] { 5, 5 }));
        Assert.ThrowsExactly<ArgumentException>(() => new StepSchedule(new[] { -1.0 }, Array.Empty<int>()));
    }
}
