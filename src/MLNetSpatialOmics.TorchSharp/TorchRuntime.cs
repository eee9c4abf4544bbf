using System.Runtime.InteropServices;
using TorchSharp;

namespace MLNetSpatialOmics.TorchSharp;

/// <summary>Resolves the user's device choice (<c>auto</c>, <c>cpu</c>, <c>cuda</c>) against what the loaded backend offers.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Held for the whole of a fit. Torch's random generator is process-wide, so two fits interleaving their seeded
    /// draws (initialisation, sampling) would each lose determinism; fits in one process therefore run one at a time.
    /// </summary>
    internal static readonly object FitLock = new();

    /// <summary>The libtorch switch that backs its CPU allocations of 2 MB and more with transparent huge pages.</summary>
    internal const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    static TorchRuntime() => RequestHugePages();

    /// <summary>
    /// Sets <see cref="HugePagesVariable"/> = 1 in the native environment unless the user set it (to anything: "0"
    /// opts out). libtorch reads it once, at its first CPU allocation, which no fit makes before resolving its device
    /// here. Why: a large section's epoch is gathers indexed by graph neighbours over arrays of hundreds of MB, where
    /// 4 kB pages miss the TLB on nearly every access; with 2 MB pages a 1M-spot CRCT epoch takes 15.5 instead of
    /// 18.7 s (100k: 0.85 vs 0.92 s), with identical results — pages change where memory sits, not what is computed.
    /// </summary>
    private static void RequestHugePages()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = setenv(HugePagesVariable, "1", overwrite: 0); }
        catch (DllNotFoundException) { }        // not glibc: keep libtorch's default
        catch (EntryPointNotFoundException) { }
    }

    [DllImport("libc.so.6", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    /// <summary>
    /// Runs the finalizers of unreachable tensor wrappers. Gradients that custom autograd nodes hand to libtorch keep
    /// their managed wrappers until those are finalized, and the garbage collector, which sees only small managed
    /// objects, may not run for hundreds of epochs; trainers call this once per epoch so native memory stays flat.
    /// </summary>
    internal static void ReleaseUnreachableTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    public static torch.Device ResolveDevice(string device)
    {
        switch ((device ?? "auto").Trim().ToLowerInvariant())
        {
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                    throw new ArgumentException("device 'cuda' was requested but no CUDA device is available to TorchSharp " +
                        "(build with -p:SpatialOmicsTorchBackend=cuda and run on a machine with an NVIDIA GPU).", nameof(device));
                return torch.CUDA;
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            default:
                throw new ArgumentException($"device must be 'auto', 'cpu' or 'cuda', not '{device}'.", nameof(device));
        }
    }
}
