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
        ShareOneArena();
    }

    /// <summary>Runs one fit under <see cref="FitLock"/>.</summary>
    internal static T RunFit<T>(Func<T> fit)
    {
        lock (FitLock) return fit();
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
    /// For the training part of a fit (dispose the result when it ends), asks glibc's malloc to keep large freed blocks for
    /// reuse instead of unmapping them: allocations up to 1 GiB come from the heap (M_MMAP_THRESHOLD) and the heap top
    /// is trimmed only past 2 GiB (M_TRIM_THRESHOLD). Why: libtorch allocates a new tensor for nearly every op and frees
    /// it soon after; at a million spots most are 35–140 MB, above glibc's mmap threshold (which adapts up to at most
    /// 32 MB), so each was mapped, zero-filled page by page by the kernel and unmapped again — 20 % of a 1M-spot CRCT
    /// epoch's CPU time in a perf profile. With this the epoch takes 11.0 instead of 14.2 s (17.7 instead of 22.5
    /// CPU-s) with identical losses. The price is fragmentation: a heap that keeps its blocks can peak higher than one
    /// that maps them (100k CRCT end to end 2.8 → 3.1 GB; 3.4 GB when the settings also covered the graph construction,
    /// so fitters open this after building their graphs), which is why the settings hold only while a fit trains. At the
    /// end the thresholds go to 32 / 64 MB — where glibc's own adaptive thresholds settle in a process that allocates
    /// large tensors — and the heap's free memory is returned (malloc_trim). Left alone when the user configured malloc
    /// through its environment (GLIBC_TUNABLES with a malloc tunable, or any MALLOC_* variable).
    /// </summary>
    internal static IDisposable KeepFreedMemoryWhileFitting()
    {
        if (!_mallocIsOurs) return NoScope.Instance;
        lock (MallocLock)
        {
            if (_fitsKeepingMemory++ == 0)
            {
                _ = mallopt(MallocMmapThreshold, 1 << 30);
                _ = mallopt(MallocTrimThreshold, int.MaxValue);
            }
        }
        return new MemoryScope();
    }

    /// <summary>True while at least one fit keeps freed memory (<see cref="KeepFreedMemoryWhileFitting"/>).</summary>
    internal static bool KeepsFreedMemory
    {
        get { lock (MallocLock) return _fitsKeepingMemory > 0; }
    }

    private static readonly object MallocLock = new();
    private static int _fitsKeepingMemory;
    private static bool _mallocIsOurs;

    private sealed class MemoryScope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            lock (MallocLock)
            {
                if (--_fitsKeepingMemory > 0) return;
                _ = mallopt(MallocMmapThreshold, 32 << 20);
                _ = mallopt(MallocTrimThreshold, 64 << 20);
                _ = malloc_trim(0);
            }
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }

    /// <summary>
    /// On glibc, threads that start allocating from now on share the main arena (M_ARENA_MAX = 1): a per-thread arena
    /// cannot hold a block over 64 MB whatever the mmap threshold, so a fit on such a thread would map its large tensors
    /// afresh (<see cref="KeepFreedMemoryWhileFitting"/>). Threads that already have an arena keep it (a test host's
    /// workers, say): the full gain is for fits run from the main thread or from threads started after the first fit.
    /// </summary>
    private static void ShareOneArena()
    {
        if (!OperatingSystem.IsLinux() || UserConfiguredMalloc()) return;
        try
        {
            _ = mallopt(MallocArenaMax, 1);
            _mallocIsOurs = true;
        }
        catch (DllNotFoundException) { }        // not glibc: keep its allocator's defaults
        catch (EntryPointNotFoundException) { }
    }

    private static bool UserConfiguredMalloc()
    {
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { } tunables && tunables.Contains("glibc.malloc.", StringComparison.Ordinal))
            return true;
        foreach (var key in Environment.GetEnvironmentVariables().Keys)
            if (key is string name && name.StartsWith("MALLOC_", StringComparison.Ordinal)) return true;
        return false;
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
