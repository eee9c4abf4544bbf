using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.TorchSharp.Praga;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// A fitted TRSMI model. On the training section it returns the training embedding and labels exactly; on another
/// section it rebuilds that section's graphs, embeds it with the trained weights (feature graphs at their initial
/// value, β at its final value) and assigns clusters with the trained clustering head (PCA + mixture).
/// </summary>
[PersistableTransformer(Signature)]
public sealed class TrsmiTransformer : IPersistableTransformer, ICanSaveModel
{
    public const string Signature = "TRSMI-TRANSFORMER";
    private readonly MLContext _context;
    private readonly TrsmiOptions _options;
    private readonly TrsmiNetwork _network;
    private readonly ClusteringHeadTransformer _clustering;
    private readonly int[] _inputDims;
    private readonly string[]?[] _slotNames;
    private readonly string _trainingFingerprint;
    private readonly float[] _trainingEmbedding;

    public int LatentDimension => (int)_network.LatentDim;
    public int Clusters => _options.Clusters;
    public IReadOnlyList<string> ModalityColumns => _options.ModalityColumns;
    /// <summary>The final global/local gate β.</summary>
    public double Beta => _network.Gate.Current;
    /// <summary>
    /// Mean over modalities of ‖W_m,ctx‖_F, the learned weight of the aligned context in Z̃_m = [Z_m ‖ S·Z']·W_m
    /// (0 with the alignment off; the self block's ‖I‖_F is √d for comparison).
    /// </summary>
    public double AlignmentContextWeightNorm => _network.Alignment is { } a ? a.ContextWeightNorms().Average() : 0.0;
    /// <summary>Losses and β per epoch of the fit that produced this model (empty after loading).</summary>
    public IReadOnlyList<TrsmiProgress> TrainingHistory { get; init; } = Array.Empty<TrsmiProgress>();
    public bool IsRowToRowMapper => false;
    /// <summary>The options the model was fitted (or loaded) with.</summary>
    internal TrsmiOptions Options => _options;

    internal TrsmiTransformer(MLContext context, TrsmiOptions options, TrsmiNetwork network, ClusteringHeadTransformer clustering,
        int[] inputDims, string[]?[] slotNames, string trainingFingerprint, float[] trainingEmbedding)
    {
        _context = context;
        _options = options;
        _network = network;
        _clustering = clustering;
        _inputDims = inputDims;
        _slotNames = slotNames;
        _trainingFingerprint = trainingFingerprint;
        _trainingEmbedding = trainingEmbedding;
    }

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

    public IDataView Transform(IDataView input)
    {
        var (coordinates, modalities, _) = TrsmiTrainer.ReadSection(input, _options);
        TrainerOutputs.CheckInputWidths(modalities, _inputDims, _options.ModalityColumns);
        var embedding = SectionFingerprint.Compute(coordinates, modalities) == _trainingFingerprint
            ? _trainingEmbedding
            : TrsmiFitter.Embed(_network, coordinates, modalities, _options);
        return TrainerOutputs.Append(input, embedding, LatentDimension, _clustering, Clusters);
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException("TRSMI embeds whole sections (graph propagation and alignment), so it has no row-to-row mapper; call Transform.");

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);

    public void SaveState(ModelStateWriter writer)
    {
        var o = writer.Child("options");
        o.Write("modalities", _options.ModalityColumns);
        o.Write("x", _options.XColumn);
        o.Write("y", _options.YColumn);
        o.Write("clusters", _options.Clusters);
        o.Write("epochs", _options.Epochs);
        o.Write("spatialK", _options.SpatialNeighbors);
        o.Write("featureK", _options.FeatureNeighbors);
        o.Write("latent", LatentDimension);
        o.Write("useRpr", _options.UseRpr);
        o.Write("useAlignment", _options.UseAlignment);
        o.Write("useMultiScaleAppnp", _options.UseMultiScaleAppnp);
        o.Write("useScheduledGate", _options.UseScheduledGate);
        o.Write("encoderGate", _options.EncoderGate);
        o.Write("alignmentTemperature", _options.AlignmentTemperature);
        o.Write("alignmentTopK", _options.AlignmentTopK);
        o.Write("alignmentFixedSelfPath", _options.AlignmentFixedSelfPath);
        o.Write("alignmentDimension", _options.ResolvedAlignmentDimension());
        o.Write("alignmentBlockRows", _options.AlignmentBlockRows);
        o.Write("localGate", _options.LocalGate);
        o.Write("appnpSteps", _options.AppnpScales.Select(s => s.Steps).ToArray());
        o.Write("appnpAlphas", _options.AppnpScales.Select(s => s.Alpha).ToArray());
        o.Write("singleScaleSteps", _options.SingleScale.Steps);
        o.Write("singleScaleAlpha", _options.SingleScale.Alpha);
        o.Write("initialBetaLogit", _options.InitialBetaLogit);
        o.Write("betaFloor", _options.BetaFloor);
        o.Write("fixedBeta", _options.FixedBeta);
        o.Write("pca", _options.PcaComponents);
        o.Write("mixtureModel", _options.MixtureModel.ToString());
        o.Write("clusteringSeed", _options.ClusteringSeed);
        o.Write("seed", _options.Seed);
        o.Write("device", _options.Device);
        o.Write("miniBatchThreshold", _options.MiniBatchThreshold);
        o.Write("batchSize", _options.BatchSize);
        writer.Write("beta", _network.Gate.Current);
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

    public static TrsmiTransformer LoadState(MLContext context, ModelStateReader reader)
    {
        var o = reader.GetChild("options");
        var steps = o.GetInt32Array("appnpSteps");
        var alphas = o.GetDoubleArray("appnpAlphas");
        if (steps.Length != alphas.Length || steps.Length == 0)
            throw new InvalidDataException($"the saved TRSMI model has {steps.Length} APPNP step counts and {alphas.Length} teleport values.");
        var options = new TrsmiOptions
        {
            ModalityColumns = o.GetStringArray("modalities"),
            XColumn = o.GetString("x") ?? SectionColumns.X,
            YColumn = o.GetString("y") ?? SectionColumns.Y,
            Clusters = o.GetInt32("clusters"),
            Epochs = o.GetInt32("epochs"),
            SpatialNeighbors = o.GetInt32("spatialK"),
            FeatureNeighbors = o.GetInt32("featureK"),
            LatentDimension = o.GetInt32("latent"),
            UseRpr = o.GetBool("useRpr"),
            UseAlignment = o.GetBool("useAlignment"),
            UseMultiScaleAppnp = o.GetBool("useMultiScaleAppnp"),
            UseScheduledGate = o.GetBool("useScheduledGate"),
            EncoderGate = o.GetDouble("encoderGate"),
            AlignmentTemperature = o.GetDouble("alignmentTemperature"),
            AlignmentTopK = o.GetInt32("alignmentTopK"),
            // Models saved before the option existed used the learnable self block.
            AlignmentFixedSelfPath = o.Contains("alignmentFixedSelfPath") && o.GetBool("alignmentFixedSelfPath"),
            AlignmentDimension = o.GetInt32("alignmentDimension"),
            AlignmentBlockRows = o.GetInt32("alignmentBlockRows"),
            LocalGate = o.GetDouble("localGate"),
            AppnpScales = steps.Zip(alphas, (k, a) => (k, a)).ToArray(),
            SingleScale = (o.GetInt32("singleScaleSteps"), o.GetDouble("singleScaleAlpha")),
            InitialBetaLogit = o.GetDouble("initialBetaLogit"),
            BetaFloor = o.GetDouble("betaFloor"),
            FixedBeta = o.GetDouble("fixedBeta"),
            PcaComponents = o.GetInt32("pca"),
            MixtureModel = Enum.Parse<MixtureModelName>(o.GetString("mixtureModel") ?? nameof(MixtureModelName.EEE)),
            ClusteringSeed = o.GetInt32("clusteringSeed"),
            Seed = o.GetInt32("seed"),
            Device = o.GetString("device") ?? "auto",
        };
        // Models saved before mini-batch training existed keep the defaults (they only matter for new sections above the threshold).
        if (o.Contains("miniBatchThreshold")) options.MiniBatchThreshold = o.GetInt32("miniBatchThreshold");
        if (o.Contains("batchSize")) options.BatchSize = o.GetInt32("batchSize");
        var inputDims = reader.GetInt32Array("inputDims");
        if (inputDims.Length != options.ModalityColumns.Length)
            throw new InvalidDataException($"the saved TRSMI model has {inputDims.Length} input sizes for {options.ModalityColumns.Length} modality columns.");
        var slotNames = new string[]?[inputDims.Length];
        for (int m = 0; m < inputDims.Length; m++)
            if (reader.Contains($"slotNames.{m}")) slotNames[m] = reader.GetStringArray($"slotNames.{m}");
        var network = new TrsmiNetwork(inputDims.Select(d => (long)d).ToArray(), options);
        var net = reader.GetChild("network");
        using (no_grad())
            foreach (var (name, p) in network.named_parameters())
            {
                var values = net.GetSingleArray(name);
                if (values.Length != p.numel())
                    throw new InvalidDataException($"TRSMI model parameter '{name}' has {values.Length} values; expected {p.numel()}.");
                p.copy_(tensor(values, p.shape));
            }
        network.Gate.Restore(reader.GetDouble("beta"));
        var clustering = ClusteringHeadTransformer.LoadState(context, reader.GetChild("clustering"));
        return new TrsmiTransformer(context, options, network, clustering, inputDims, slotNames,
            reader.GetString("trainingFingerprint") ?? "", reader.GetSingleArray("trainingEmbedding"));
    }
}
