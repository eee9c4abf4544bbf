using Microsoft.ML;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Scoring;

/// <summary>One section scored by a fitted pipeline: the output view and the columns most callers want, read once.</summary>
public sealed class ScoredSection
{
    /// <summary>The section's name (or "section {index}" when it has none).</summary>
    public required string Name { get; init; }
    /// <summary>The pipeline's whole output (input columns plus Embedding / PredictedLabel / Score and intermediates).</summary>
    public required IDataView Data { get; init; }
    /// <summary>Spot ids in row order, when the section has a SpotId column.</summary>
    public string[]? SpotIds { get; init; }
    /// <summary>0-based cluster id per spot (the model's ids: the same id means the same trained cluster in every section).</summary>
    public required int[] Labels { get; init; }
    /// <summary>Per-cluster score (posterior) per spot, when the model writes a Score column.</summary>
    public DenseMatrix? Score { get; init; }
    /// <summary>Metrics against the section's Truth column, when it has one.</summary>
    public SpatialClusteringMetrics? Metrics { get; init; }
    /// <summary>Wall-clock time of the scoring (transform + reading the outputs), without the metrics.</summary>
    public TimeSpan Elapsed { get; init; }
}
