using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp.Praga;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// A fitted CRCT model. CRCT changes how PRAGA's network is trained, not how it embeds or clusters, so scoring is
/// PRAGA's: on the training section the training embedding and labels; on another section its own graphs, the trained
/// weights and the trained PCA + EEE mixture.
/// </summary>
[PersistableTransformer(Signature)]
public sealed class CrctTransformer : IPersistableTransformer, ICanSaveModel
{
    public const string Signature = "CRCT-TRANSFORMER";
    private readonly PragaTransformer _inner;

    /// <summary>The ablation variant the model was trained with.</summary>
    public CrctVariant Variant { get; }
    public int LatentDimension => _inner.LatentDimension;
    public int Clusters => _inner.Clusters;
    public IReadOnlyList<string> ModalityColumns => _inner.ModalityColumns;
    /// <summary>Loss terms per epoch of the fit that produced this model (empty after loading).</summary>
    public IReadOnlyList<CrctProgress> TrainingHistory { get; init; } = Array.Empty<CrctProgress>();
    public bool IsRowToRowMapper => false;

    internal CrctTransformer(PragaTransformer inner, CrctVariant variant)
    {
        _inner = inner;
        Variant = variant;
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _inner.GetOutputSchema(inputSchema);

    public IDataView Transform(IDataView input) => _inner.Transform(input);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException("CRCT embeds whole sections (graph propagation), so it has no row-to-row mapper; call Transform.");

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);

    public void SaveState(ModelStateWriter writer)
    {
        writer.Write("variant", Variant.ToString());
        _inner.SaveState(writer.Child("model"));
    }

    public static CrctTransformer LoadState(MLContext context, ModelStateReader reader)
    {
        var name = reader.GetString("variant");
        if (!Enum.TryParse<CrctVariant>(name, out var variant))
            throw new InvalidDataException($"CRCT model state names an unknown variant '{name}'.");
        return new CrctTransformer(PragaTransformer.LoadState(context, reader.GetChild("model")), variant);
    }
}
