using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.Clustering;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>
/// A fitted PRAGA model. On the training section it returns the training embedding and labels exactly; on another
/// section it rebuilds that section's graphs, embeds it with the trained weights (feature graphs at their initial value)
/// and assigns clusters with the trained PCA + EEE mixture.
/// </summary>
[PersistableTransformer(Signature)]
public sealed class PragaTransformer : IPersistableTransformer, ICanSaveModel, MLNetSpatialOmics.Scoring.IDeclaresInputColumns
{
    public const string Signature = "PRAGA-TRANSFORMER";
    private readonly MLContext _context;
    private readonly PragaOptions _options;
    private readonly PragaNetwork _network;
    private readonly ClusteringHeadTransformer _clustering;
    private readonly int[] _inputDims;
    private readonly string[]?[] _slotNames;
    private readonly string _trainingFingerprint;
    private readonly float[] _trainingEmbedding;

    public int LatentDimension { get; }
    public int Clusters => _options.Clusters;
    public IReadOnlyList<string> ModalityColumns => _options.ModalityColumns;
    /// <summary>Columns a section must carry to be scored: the modality features and the coordinates.</summary>
    public IReadOnlyList<string> InputColumnNames => _options.ModalityColumns.Append(_options.XColumn).Append(_options.YColumn).ToArray();
    /// <summary>Losses per epoch of the fit that produced this model (empty after loading).</summary>
    public IReadOnlyList<PragaProgress> TrainingHistory { get; init; } = Array.Empty<PragaProgress>();
    public bool IsRowToRowMapper => false;

    internal PragaTransformer(MLContext context, PragaOptions options, PragaNetwork network, ClusteringHeadTransformer clustering,
        int[] inputDims, string[]?[] slotNames, int latentDim, string trainingFingerprint, float[] trainingEmbedding)
    {
        _context = context;
        _options = options;
        _network = network;
        _clustering = clustering;
        _inputDims = inputDims;
        _slotNames = slotNames;
        LatentDimension = latentDim;
        _trainingFingerprint = trainingFingerprint;
        _trainingEmbedding = trainingEmbedding;
    }

    /// <summary>The options that shape the model, without the progress callback.</summary>
    internal static PragaOptions Snapshot(PragaOptions o) => new()
    {
        ModalityColumns = (string[])o.ModalityColumns.Clone(), XColumn = o.XColumn, YColumn = o.YColumn, Clusters = o.Clusters,
        Epochs = o.Epochs, LearningRate = o.LearningRate, WeightDecay = o.WeightDecay, Momentum = o.Momentum,
        ReconstructionWeights = o.ResolvedReconstructionWeights(), SpatialNeighbors = o.SpatialNeighbors,
        FeatureNeighbors = o.FeatureNeighbors, LatentDimension = o.ResolvedLatentDimension(), Temperature = o.Temperature,
        PrototypeWeight = o.PrototypeWeight, PrototypeStartEpoch = o.PrototypeStartEpoch, PrototypeRefreshEvery = o.PrototypeRefreshEvery,
        PrototypeCount = o.PrototypeCount, SplitMerge = o.SplitMerge, EmaAlpha = o.EmaAlpha,
        GraphRegularizationWeight = o.GraphRegularizationWeight, RandomFusionInit = o.RandomFusionInit,
        PcaComponents = o.PcaComponents, MixtureModel = o.MixtureModel, ClusteringSeed = o.ClusteringSeed,
        MixtureSplitMergeSearch = o.MixtureSplitMergeSearch, Seed = o.Seed, Device = o.Device,
        MiniBatchThreshold = o.MiniBatchThreshold, BatchSize = o.BatchSize, FeatureFanout = o.FeatureFanout, SpatialFanout = o.SpatialFanout, StepPerBatch = o.StepPerBatch,
    };

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var empty = new InMemoryDataView(new[]
        {
            InMemoryColumn.Vector(SectionColumns.Embedding, Array.Empty<float>(), LatentDimension),
            InMemoryColumn.Key(SectionColumns.PredictedLabel, Array.Empty<uint>(), Clusters),
            InMemoryColumn.Vector(SectionColumns.Score, Array.Empty<float>(), Clusters),
        });
        var builder = new DataViewSchema.Builder();
        var added = new HashSet<string>(empty.Schema.Select(c => c.Name));
        foreach (var c in inputSchema) if (!c.IsHidden && !added.Contains(c.Name)) builder.AddColumn(c.Name, c.Type, c.Annotations);
        foreach (var c in empty.Schema) builder.AddColumn(c.Name, c.Type, c.Annotations);
        return builder.ToSchema();
    }

    internal static SchemaShape OutputShape(SchemaShape input, int latentDim, int clusters)
    {
        var outputs = SchemaShapeFactory.FromSchema(new InMemoryDataView(new[]
        {
            InMemoryColumn.Vector(SectionColumns.Embedding, Array.Empty<float>(), latentDim),
            InMemoryColumn.Key(SectionColumns.PredictedLabel, Array.Empty<uint>(), clusters),
            InMemoryColumn.Vector(SectionColumns.Score, Array.Empty<float>(), clusters),
        }).Schema);
        var names = new HashSet<string>(outputs.Select(c => c.Name));
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(outputs));
    }

    public IDataView Transform(IDataView input)
    {
        var (coordinates, modalities, _) = PragaTrainer.ReadSection(input, _options);
        TrainerOutputs.CheckInputWidths(modalities, _inputDims, _options.ModalityColumns);
        var embedding = SectionFingerprint.Compute(coordinates, modalities) == _trainingFingerprint
            ? _trainingEmbedding
            : PragaFitter.Embed(_network, coordinates, modalities, _options);
        return TrainerOutputs.Append(input, embedding, LatentDimension, _clustering, Clusters);
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException("PRAGA embeds whole sections (graph propagation), so it has no row-to-row mapper; call Transform.");

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);

    public void SaveState(ModelStateWriter writer)
    {
        var o = writer.Child("options");
        o.Write("modalities", _options.ModalityColumns);
        o.Write("x", _options.XColumn);
        o.Write("y", _options.YColumn);
        o.Write("clusters", _options.Clusters);
        o.Write("spatialK", _options.SpatialNeighbors);
        o.Write("featureK", _options.FeatureNeighbors);
        o.Write("latent", LatentDimension);
        o.Write("randomFusionInit", _options.RandomFusionInit);
        o.Write("pca", _options.PcaComponents);
        o.Write("seed", _options.Seed);
        o.Write("device", _options.Device);
        // How a new section above the threshold is embedded (block by block); absent in models saved before them.
        o.Write("miniBatchThreshold", _options.MiniBatchThreshold);
        o.Write("batchSize", _options.BatchSize);
        o.Write("featureFanout", _options.FeatureFanout);
        o.Write("spatialFanout", _options.SpatialFanout);
        writer.Write("inputDims", _inputDims);
        for (int m = 0; m < _slotNames.Length; m++)
            if (_slotNames[m] is { } names) writer.Write($"slotNames.{m}", names);
        var net = writer.Child("network");
        foreach (var (name, p) in _network.named_parameters())
            net.Write(name, p.detach().to(CPU).contiguous().data<float>().ToArray());
        _clustering.SaveState(writer.Child("clustering"));
        writer.Write("trainingFingerprint", _trainingFingerprint);
        writer.Write("trainingEmbedding", _trainingEmbedding);
    }

    public static PragaTransformer LoadState(MLContext context, ModelStateReader reader)
    {
        var o = reader.GetChild("options");
        var options = new PragaOptions
        {
            ModalityColumns = o.GetStringArray("modalities"),
            XColumn = o.GetString("x") ?? SectionColumns.X,
            YColumn = o.GetString("y") ?? SectionColumns.Y,
            Clusters = o.GetInt32("clusters"),
            SpatialNeighbors = o.GetInt32("spatialK"),
            FeatureNeighbors = o.GetInt32("featureK"),
            LatentDimension = o.GetInt32("latent"),
            RandomFusionInit = o.GetBool("randomFusionInit"),
            PcaComponents = o.GetInt32("pca"),
            Seed = o.GetInt32("seed"),
            Device = o.GetString("device") ?? "auto",
        };
        if (o.Contains("miniBatchThreshold"))
        {
            options.MiniBatchThreshold = o.GetInt32("miniBatchThreshold");
            options.BatchSize = o.GetInt32("batchSize");
            options.FeatureFanout = o.GetInt32("featureFanout");
            options.SpatialFanout = o.GetInt32("spatialFanout");
        }
        var inputDims = reader.GetInt32Array("inputDims");
        var slotNames = new string[]?[inputDims.Length];
        for (int m = 0; m < inputDims.Length; m++)
            if (reader.Contains($"slotNames.{m}")) slotNames[m] = reader.GetStringArray($"slotNames.{m}");
        var network = new PragaNetwork(inputDims.Select(d => (long)d).ToArray(), options.LatentDimension, randomFusionInit: false);
        var net = reader.GetChild("network");
        using (no_grad())
            foreach (var (name, p) in network.named_parameters())
            {
                var values = net.GetSingleArray(name);
                if (values.Length != p.numel())
                    throw new InvalidDataException($"PRAGA model parameter '{name}' has {values.Length} values; expected {p.numel()}.");
                p.copy_(tensor(values, p.shape));
            }
        var clustering = ClusteringHeadTransformer.LoadState(context, reader.GetChild("clustering"));
        return new PragaTransformer(context, options, network, clustering, inputDims, slotNames, options.LatentDimension,
            reader.GetString("trainingFingerprint") ?? "", reader.GetSingleArray("trainingEmbedding"));
    }
}
