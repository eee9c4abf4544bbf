using MLNetSpatialOmics.TorchSharp;
using TorchSharp;

namespace MLNetSpatialOmics.Tests;

[TestClass]
[DoNotParallelize] // torch's random generator is process-wide: seeded tests must not interleave
public class TorchNativeTests
{
    [TestMethod]
    public void NativeLibraryLoadsAndComputesAMatmul()
    {
        var device = TorchRuntime.ResolveDevice("cpu");
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, device: device);
        using var b = torch.tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 }, device: device);
        using var c = torch.matmul(a, b);
        CollectionAssert.AreEqual(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [TestMethod]
    public void UnknownDeviceIsRejectedWithTheParameterName()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => TorchRuntime.ResolveDevice("tpu"));
        StringAssert.Contains(ex.Message, "tpu");
    }
}
