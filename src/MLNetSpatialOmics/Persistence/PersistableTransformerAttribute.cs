namespace MLNetSpatialOmics.Persistence;

/// <summary>
/// Marks a transformer that saves into an ML.NET model zip. The class must implement
/// <see cref="IPersistableTransformer"/> and declare
/// <c>static TSelf LoadState(Microsoft.ML.MLContext context, ModelStateReader reader)</c> (any accessibility).
/// The signature names the state format; change it (or bump <see cref="Version"/>) when the format changes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PersistableTransformerAttribute : Attribute
{
    public PersistableTransformerAttribute(string signature, int version = 1)
    {
        if (string.IsNullOrWhiteSpace(signature) || signature.Length > 24)
            throw new ArgumentException("signature must be 1..24 characters.", nameof(signature));
        Signature = signature;
        Version = version;
    }

    public string Signature { get; }
    public int Version { get; }
}
