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

    /// <summary>
    /// While a fit keeps freed memory, a 40 MB tensor is heap memory, which a later tensor can reuse, not a mapping of
    /// its own (glibc maps every block over 32 MB by default, on any thread; the test host's threads have arenas of
    /// their own, which hold blocks up to 64 MB once the threshold is raised); after the fit such a tensor is mapped again.
    /// </summary>
    [TestMethod]
    public void LargeTensorsComeFromTheHeapWhileAFitRuns()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("the malloc settings apply to glibc on Linux only.");
        _ = TorchRuntime.ResolveDevice("cpu");
        const long bytes = 40L << 20;
        using (TorchRuntime.KeepFreedMemoryWhileFitting())
        {
            if (!TorchRuntime.KeepsFreedMemory)
                Assert.Inconclusive("malloc was configured through the environment (GLIBC_TUNABLES / MALLOC_*), which the runtime leaves alone.");
            Assert.IsTrue(MappedBytesOf(bytes) < bytes, "during a fit the 40 MB tensor was mapped, not taken from the heap.");
        }
        Assert.IsFalse(TorchRuntime.KeepsFreedMemory);
        // malloc serves a request from a free chunk of the heap before it considers mapping, and the 40 MB block freed
        // above stays in the heap's bins whenever another thread allocated above it meanwhile. So keep requesting 40 MB
        // blocks, holding each, until the free chunks that large are used up: under the restored threshold one of them
        // is then mapped; under the fit's threshold none ever is.
        var held = new List<torch.Tensor>();
        try
        {
            bool mapped = false;
            for (int i = 0; i < 8 && !mapped; i++)
            {
                long before = (long)mallinfo2().hblkhd;
                held.Add(torch.ones(bytes / sizeof(float)));
                mapped = (long)mallinfo2().hblkhd - before >= bytes;
            }
            Assert.IsTrue(mapped, "after the fit eight 40 MB tensors in a row came from the heap: the thresholds were not restored.");
        }
        finally
        {
            foreach (var t in held) t.Dispose();
        }
    }

    // How much more memory sits in mmapped blocks while a float tensor of the given size is alive.
    private static long MappedBytesOf(long bytes)
    {
        long before = (long)mallinfo2().hblkhd;
        using var large = torch.ones(bytes / sizeof(float));
        return (long)mallinfo2().hblkhd - before;
    }

    [DllImport("libc.so.6", CharSet = CharSet.Ansi)]
    private static extern IntPtr getenv(string name);

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc.so.6")]
    private static extern MallInfo2 mallinfo2();
}
