using System.Runtime.InteropServices;
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

    [TestMethod]
    public void HugePageAllocationsAreRequestedUnlessTheUserChose()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("libtorch's huge-page switch is read from the native environment on Linux only.");
        _ = TorchRuntime.ResolveDevice("cpu");
        // The managed view is the environment the process started with: a user's own setting must survive.
        string? user = Environment.GetEnvironmentVariable(TorchRuntime.HugePagesVariable);
        string? native = Marshal.PtrToStringAnsi(getenv(TorchRuntime.HugePagesVariable));
        Assert.AreEqual(user ?? "1", native);
    }

    [DllImport("libc.so.6", CharSet = CharSet.Ansi)]
    private static extern IntPtr getenv(string name);
}
