using MLNetSpatialOmics.Data;

namespace MLNetSpatialOmics.Graphs;

/// <summary>Which kNN graph a <see cref="GraphFeaturizerEstimator"/> builds.</summary>
public enum GraphKind
{
    /// <summary>Euclidean kNN on the spot coordinates (<see cref="SpatialKnn"/>).</summary>
    Spatial,
    /// <summary>kNN on a modality's feature vectors (<see cref="FeatureKnn"/>).</summary>
    Feature,
}

public sealed class GraphFeaturizerOptions
{
    public const int DefaultSpatialK = 3;
    public const int DefaultFeatureK = 20;

    public GraphKind Kind { get; set; } = GraphKind.Spatial;
    /// <summary>Spatial graphs: the coordinate columns (Single, Double or Int32 scalars).</summary>
    public string XColumn { get; set; } = SectionColumns.X;
    public string YColumn { get; set; } = SectionColumns.Y;
    /// <summary>Feature graphs: the fixed-size numeric vector column (e.g. a modality's PCA scores).</summary>
    public string? InputColumn { get; set; }
    /// <summary>Neighbours per spot; 0 picks PRAGA's defaults: 3 (spatial) or 20 (feature).</summary>
    public int K { get; set; }
    /// <summary>Feature graphs only (PRAGA: correlation).</summary>
    public FeatureMetric Metric { get; set; } = FeatureMetric.Correlation;
    /// <summary>Feature graphs only: exact, approximate, or exact up to <see cref="ExactThreshold"/> spots.</summary>
    public KnnAlgorithm Algorithm { get; set; } = KnnAlgorithm.Auto;
    public int ExactThreshold { get; set; } = 30_000;
    /// <summary>Seed of the approximate search.</summary>
    public int Seed { get; set; }
    /// <summary>
    /// Output columns are <c>{prefix}.Indices</c> and <c>{prefix}.Distances</c>. Null: <c>SpatialGraph</c>, or
    /// <c>{InputColumn}.FeatureGraph</c>.
    /// </summary>
    public string? OutputColumnPrefix { get; set; }

    public int EffectiveK => K > 0 ? K : Kind == GraphKind.Spatial ? DefaultSpatialK : DefaultFeatureK;

    public string EffectivePrefix => OutputColumnPrefix ?? (Kind == GraphKind.Spatial ? "SpatialGraph" : $"{InputColumn}.FeatureGraph");

    public GraphFeaturizerOptions Clone() => (GraphFeaturizerOptions)MemberwiseClone();

    internal void Validate()
    {
        if (K < 0) throw new ArgumentOutOfRangeException(nameof(K), K, "K must be ≥ 1 (or 0 for the default).");
        if (ExactThreshold < 0) throw new ArgumentOutOfRangeException(nameof(ExactThreshold), ExactThreshold, "must be ≥ 0.");
        if (OutputColumnPrefix is not null && string.IsNullOrWhiteSpace(OutputColumnPrefix))
            throw new ArgumentException("OutputColumnPrefix must not be blank (null picks the default).", nameof(OutputColumnPrefix));
        switch (Kind)
        {
            case GraphKind.Spatial:
                if (string.IsNullOrWhiteSpace(XColumn) || string.IsNullOrWhiteSpace(YColumn))
                    throw new ArgumentException("a spatial graph needs XColumn and YColumn.");
                break;
            case GraphKind.Feature:
                if (string.IsNullOrWhiteSpace(InputColumn))
                    throw new ArgumentException("a feature graph needs InputColumn (the feature vector column, e.g. a modality's PCA scores).", nameof(InputColumn));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown graph kind.");
        }
    }
}
