using Microsoft.ML;

namespace MLNetSpatialOmics.Persistence;

/// <summary>
/// The one place that connects <see cref="IPersistableTransformer"/> to ML.NET's model zip. Being wired to ML.NET's
/// internal save/load context in the next commit; transformers call <see cref="Save"/> from <c>ICanSaveModel.Save</c>.
/// </summary>
public static class ModelPersistence
{
    public static void Save(ModelSaveContext context, IPersistableTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformer);
        throw new InvalidOperationException("model saving is being wired to ML.NET; not available in this build yet.");
    }
}
