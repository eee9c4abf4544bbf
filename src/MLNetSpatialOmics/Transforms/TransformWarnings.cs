using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// Where transforms report non-fatal problems (features missing from a new section, more HVGs asked than exist).
/// Every warning goes to the transformer's <c>OnWarning</c> callback when one is set, and always to the
/// <see cref="MLContext"/>'s log (<c>mlContext.Log += ...</c>, kind Warning, source "MLNetSpatialOmics").
/// </summary>
internal static class TransformWarnings
{
    public static void Emit(IHostEnvironment? context, Action<string>? handler, string message)
    {
        handler?.Invoke(message);
        if (context is null) return;
        var host = context.Register("MLNetSpatialOmics");
        using var channel = host.Start("Transforms");
        channel.Warning(MessageSensitivity.None, "{0}", message);
    }
}
