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
