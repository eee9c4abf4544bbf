using TorchSharp;

namespace MLNetSpatialOmics.TorchSharp;

/// <summary>Resolves the user's device choice (<c>auto</c>, <c>cpu</c>, <c>cuda</c>) against what the loaded backend offers.</summary>
public static class TorchRuntime
{
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
