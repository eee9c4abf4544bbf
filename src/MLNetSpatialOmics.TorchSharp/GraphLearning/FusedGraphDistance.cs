using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// ‖(w_s·A_s + w_f·Â_f) − (w_s⁰·A_s + w_f⁰·A_f⁰)‖_F for one modality without forming either N×N sum: the fused
/// adjacency of Eq. 2 against its value at the start of training (w⁰ the fusion weights' initial values, A_f⁰ the
/// initial normalised feature graph). Over the union of the two supports the squared distance splits into
/// Δw_s²·‖A_s‖² + Σ_F (w_f·f − w_f⁰·f⁰)² + 2·Δw_s·Σ_{S∩F} a_s·(w_f·f − w_f⁰·f⁰), so it needs only the spatial edges that
/// are also feature edges. O(E) to build, O(E_f) per evaluation (O(batch edges) on a batch).
/// </summary>
internal sealed class FusedGraphDistance : IDisposable
{
    private readonly Tensor _sharedSpatialValues;   // a_s on the spatial edges that are also feature edges
    private readonly Tensor _sharedFeatureEdges;    // the feature-edge id of each of them
    private readonly double _spatialSquaredNorm;    // ‖A_s‖²_F
    private readonly double _initialSpatialWeight, _initialFeatureWeight;
    private readonly long _featureEdgeCount;
    // Position of each feature edge in the current batch, −1 elsewhere; allocated on the first batch and reset after
    // each, so a step costs its own edges, not E_f.
    private Tensor? _batchPositions;

    public FusedGraphDistance(SparseGraph spatial, SparseGraph feature, double initialSpatialWeight, double initialFeatureWeight)
    {
        var s = spatial.Structure;
        var f = feature.Structure;
        if (s.RowCount != f.RowCount) throw new ArgumentException($"the spatial graph has {s.RowCount} nodes, the feature graph {f.RowCount}.");
        var spatialValues = spatial.Values.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var sharedValues = new List<float>();
        var sharedEdges = new List<long>();
        var columnEdge = new Dictionary<int, long>();
        for (int i = 0; i < s.RowCount; i++)
        {
            columnEdge.Clear();
            for (long q = f.RowPtr[i]; q < f.RowPtr[i + 1]; q++) columnEdge[f.Cols[q]] = q;
            for (long p = s.RowPtr[i]; p < s.RowPtr[i + 1]; p++)
                if (columnEdge.TryGetValue(s.Cols[p], out var q))
                {
                    sharedValues.Add((float)spatialValues[p]);
                    sharedEdges.Add(q);
                }
        }
        var device = feature.Values.device;
        _sharedSpatialValues = tensor(sharedValues.ToArray(), device: device);
        _sharedFeatureEdges = tensor(sharedEdges.ToArray(), device: device);
        _spatialSquaredNorm = spatialValues.Sum(v => v * v);
        _initialSpatialWeight = initialSpatialWeight;
        _initialFeatureWeight = initialFeatureWeight;
        _featureEdgeCount = feature.EdgeCount;
    }

    /// <param name="fusion">the modality's fusion weights (differentiable).</param>
    /// <param name="values">the learned normalised feature-graph values on <paramref name="edgeIds"/> (differentiable).</param>
    /// <param name="initialValues">the initial normalised values on the same edges.</param>
    /// <param name="edgeIds">the batch's feature-edge ids; null = every edge. A subset estimates the feature sums
    /// from its edges, scaled by E_f / |subset|, as the feature-graph regulariser does.</param>
    public Tensor Distance(FusedAdjacency fusion, Tensor values, Tensor initialValues, Tensor? edgeIds)
    {
        using var scope = NewDisposeScope();
        var ws = fusion.SpatialWeight.squeeze();
        var wf = fusion.FeatureWeight.squeeze();
        var spatialShift = ws - _initialSpatialWeight;
        var featureDifference = values * wf - initialValues * _initialFeatureWeight;
        Tensor shared;
        double scale = 1.0;
        if (edgeIds is null) shared = (featureDifference.index_select(0, _sharedFeatureEdges) * _sharedSpatialValues).sum();
        else
        {
            scale = (double)_featureEdgeCount / Math.Max(1, edgeIds.shape[0]);
            _batchPositions ??= full(_featureEdgeCount, -1L, dtype: ScalarType.Int64, device: edgeIds.device).DetachFromDisposeScope();
            _batchPositions.index_put_(arange(edgeIds.shape[0], dtype: ScalarType.Int64, device: edgeIds.device), edgeIds);
            var local = _batchPositions.index_select(0, _sharedFeatureEdges);
            _batchPositions.index_fill_(0, edgeIds, -1L);
            var present = local.ge(0);
            shared = (featureDifference.index_select(0, local.masked_select(present)) * _sharedSpatialValues.masked_select(present)).sum();
        }
        var squared = spatialShift.square() * _spatialSquaredNorm + featureDifference.square().sum() * scale + spatialShift * shared * (2 * scale);
        return squared.clamp_min(0).add(1e-20).sqrt().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _sharedSpatialValues.Dispose();
        _sharedFeatureEdges.Dispose();
        _batchPositions?.Dispose();
    }
}
