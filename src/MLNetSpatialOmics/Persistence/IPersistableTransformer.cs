using Microsoft.ML;

namespace MLNetSpatialOmics.Persistence;

/// <summary>
/// A transformer whose fitted state goes into the model zip. Implement <c>ICanSaveModel.Save(ctx)</c> as
/// <c>ModelPersistence.Save(ctx, this)</c>; the persistence layer calls <see cref="SaveState"/>.
/// </summary>
public interface IPersistableTransformer : ITransformer
{
    void SaveState(ModelStateWriter writer);
}
