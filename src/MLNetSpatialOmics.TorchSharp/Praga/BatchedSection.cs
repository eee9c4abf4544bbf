using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>
/// One section prepared for PRAGA's network (PRAGA and CRCT train it the same way): its graphs, inputs, A_s·X, the
/// learnable feature graphs, and the batches an epoch visits — the whole section, or spatial blocks when the section
/// is larger than <see cref="PragaOptions.MiniBatchThreshold"/>.
/// </summary>
internal sealed class BatchedSection : IDisposable
{
    private readonly Tensor[] _inputs;
    private readonly Tensor[] _spatialInputs;
    private readonly MiniBatchPlanner? _planner;
    private readonly GraphBatch _full;

    public SectionGraphs Graphs { get; }
    public LearnableFeatureGraph[] FeatureGraphs { get; }
    public int SpotCount { get; }
    public bool IsMiniBatch => _planner is not null;
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <param name="miniBatch">train in blocks (<see cref="PragaOptions.UsesMiniBatches"/>), or as one batch.</param>
    public BatchedSection(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, PragaOptions options, Device device, bool miniBatch)
    {
        SpotCount = coordinates.Rows;
        Graphs = SectionGraphs.Build(coordinates, modalities, options.SpatialNeighbors, options.FeatureNeighbors, device);
        _inputs = modalities.Select(m => tensor(m.Data, new long[] { m.Rows, m.Cols }, dtype: ScalarType.Float32, device: device)).ToArray();
        _spatialInputs = GraphBatch.SpatialInputsOf(Graphs, _inputs);
        FeatureGraphs = Graphs.Features.Select(f => new LearnableFeatureGraph(f)).ToArray();
        _full = GraphBatch.Full(Graphs, _inputs, _spatialInputs);
        if (miniBatch)
        {
            _planner = new MiniBatchPlanner(Graphs, _inputs, _spatialInputs, coordinates, options.BatchSize, options.FeatureFanout, options.Seed, device, options.SpatialFanout);
            // PRAGA and CRCT move these weights only through SgdStepper: symmetric at the start means symmetric throughout.
            foreach (var feature in FeatureGraphs) feature.TrustsSymmetricWeights = feature.WeightsAreSymmetric();
        }
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/> in visiting order. Each is built when the enumeration reaches it and
    /// disposed when it moves on; the full batch is shared and outlives the enumeration.
    /// </summary>
    public IEnumerable<GraphBatch> Batches(int epoch)
    {
        if (_planner is null)
        {
            yield return _full;
            yield break;
        }
        foreach (var feature in FeatureGraphs) feature.RefreshDegrees();
        foreach (var block in _planner.EpochOrder(epoch))
        {
            using var batch = _planner.Build(block, epoch);
            yield return batch;
        }
    }

    /// <summary>The learned feature graphs' values on <paramref name="batch"/>'s feature edges.</summary>
    public Tensor[] FeatureValues(GraphBatch batch) =>
        FeatureGraphs.Select((g, m) => g.ValuesFor(batch.FeatureEdgeIds[m])).ToArray();

    /// <summary>Mean over modalities of ‖Â_m − EMA_m‖_F (estimated from the batch's edges in mini-batches).</summary>
    public Tensor GraphDistance(GraphBatch batch, IReadOnlyList<Tensor> values)
    {
        Tensor total = zeros(1, device: values[0].device);
        for (int m = 0; m < FeatureGraphs.Length; m++) total = total + FeatureGraphs[m].FrobeniusToReference(values[m], batch.FeatureEdgeIds[m]);
        return total / FeatureGraphs.Length;
    }

    /// <summary>EMA references follow the values just trained on (detached).</summary>
    public void UpdateReferences(GraphBatch batch, IReadOnlyList<Tensor> values, double alpha)
    {
        for (int m = 0; m < FeatureGraphs.Length; m++) FeatureGraphs[m].UpdateReference(values[m], alpha, batch.FeatureEdgeIds[m]);
    }

    /// <summary>
    /// The fused embedding of every spot (not normalised, no gradient), N×d, with the feature graphs as they are now
    /// (a section the network was not trained on has them at their initial value). In mini-batch mode it is computed
    /// block by block, so no step holds more than one block's context.
    /// </summary>
    public Tensor Embed(PragaNetwork network)
    {
        using var _ = no_grad();
        if (_planner is null)
        {
            using var scope = NewDisposeScope();
            using var forward = network.Forward(_full, FeatureValues(_full));
            return forward.Combined.clone().MoveToOuterDisposeScope();
        }
        foreach (var feature in FeatureGraphs) feature.RefreshDegrees();
        var result = zeros(SpotCount, network.LatentDim, device: _inputs[0].device);
        for (int block = 0; block < _planner.Blocks.Count; block++)
        {
            using var scope = NewDisposeScope();
            using var batch = _planner.Build(block, 0);
            using var forward = network.Forward(batch, FeatureValues(batch));
            using var rows = tensor(batch.TargetNodes!.Select(t => (long)t).ToArray(), device: result.device);
            result.index_copy_(0, rows, batch.SelectTargets(forward.Combined));
        }
        return result;
    }

    public void Dispose()
    {
        _planner?.Dispose();
        _full.Dispose();
        foreach (var g in FeatureGraphs) g.Dispose();
        foreach (var t in _spatialInputs) t.Dispose();
        foreach (var t in _inputs) t.Dispose();
        Graphs.Dispose();
    }
}
