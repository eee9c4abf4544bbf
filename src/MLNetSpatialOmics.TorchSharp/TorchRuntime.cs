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

    static TorchRuntime()
    {
        RequestHugePages();
        KeepFreedMemoryForReuse();
    }

    /// <summary>
    /// Runs one fit under <see cref="FitLock"/> and afterwards hands the memory the fit freed back to the system
    /// (<see cref="KeepFreedMemoryForReuse"/> keeps it in the process while a fit runs).
    /// </summary>
    internal static T RunFit<T>(Func<T> fit)
    {
        lock (FitLock)
        {
            try { return fit(); }
            finally { ReturnFreedMemory(); }
        }
    }

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
    /// On glibc, asks malloc to keep large freed blocks for reuse instead of unmapping them: allocations up to 1 GiB
    /// come from the heap (M_MMAP_THRESHOLD), the heap top is trimmed only past 2 GiB (M_TRIM_THRESHOLD), and threads
    /// that start allocating from now on share the main arena (M_ARENA_MAX = 1): a per-thread arena cannot hold a block
    /// over 64 MB, so a thread that already has one (e.g. a test host's worker) still maps those afresh — the full gain
    /// is for fits run from the main thread or from threads started after the first fit. Why: libtorch allocates a new tensor for nearly every op, and at a million spots
    /// most are 35–140 MB, above glibc's mmap threshold (at most 32 MB); each was mapped, zero-filled page by page by the
    /// kernel and unmapped again — 20 % of a 1M-spot CRCT epoch's CPU time in a perf profile. With this the epoch takes
    /// 11.0 instead of 14.2 s (17.7 instead of 22.5 CPU-s) with identical losses. Left alone when the user configured
    /// malloc through its environment (GLIBC_TUNABLES with a malloc tunable, or any MALLOC_* variable). The kept memory
    /// is returned after each fit (<see cref="ReturnFreedMemory"/>).
    /// </summary>
    private static void KeepFreedMemoryForReuse()
    {
        if (!OperatingSystem.IsLinux() || UserConfiguredMalloc()) return;
        try
        {
            _ = mallopt(MallocArenaMax, 1);
            _ = mallopt(MallocMmapThreshold, 1 << 30);
            _ = mallopt(MallocTrimThreshold, int.MaxValue);
            _keepsFreedMemory = true;
        }
        catch (DllNotFoundException) { }        // not glibc: keep its allocator's defaults
        catch (EntryPointNotFoundException) { }
    }

    private static bool _keepsFreedMemory;

    /// <summary>True when <see cref="KeepFreedMemoryForReuse"/> changed malloc's settings in this process.</summary>
    internal static bool KeepsFreedMemory => _keepsFreedMemory;

    private static bool UserConfiguredMalloc()
    {
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { } tunables && tunables.Contains("glibc.malloc.", StringComparison.Ordinal))
            return true;
        foreach (var key in Environment.GetEnvironmentVariables().Keys)
            if (key is string name && name.StartsWith("MALLOC_", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Returns the heap's free memory to the system (glibc's malloc_trim) when this process keeps it.</summary>
    internal static void ReturnFreedMemory()
    {
        if (!_keepsFreedMemory) return;
        _ = malloc_trim(0);
    }

    private const int MallocTrimThreshold = -1, MallocMmapThreshold = -3, MallocArenaMax = -8;

    [DllImport("libc.so.6")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc.so.6")]
    private static extern int malloc_trim(nuint pad);

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
