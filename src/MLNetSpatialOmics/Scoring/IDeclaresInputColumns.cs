namespace MLNetSpatialOmics.Scoring;

/// <summary>
/// A transformer that can say which input columns it reads. <see cref="ModelInputs"/> uses it to check, before any
/// work, that a section carries every column a fitted pipeline needs (transformers of other assemblies, such as the
/// TorchSharp trainers, implement it; the core's own transformers are recognised directly).
/// </summary>
public interface IDeclaresInputColumns
{
    IReadOnlyList<string> InputColumnNames { get; }
}
