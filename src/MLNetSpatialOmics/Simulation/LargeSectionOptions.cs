namespace MLNetSpatialOmics.Simulation;

/// <summary>What the modality matrices of a large simulated section hold.</summary>
public enum LargeSectionFeatures
{
    /// <summary>ggblocks negative-binomial counts (sparse), exactly as <see cref="SpatialSimulator"/> draws them.</summary>
    Counts,
    /// <summary>
    /// Already-reduced features: per modality, <see cref="LargeSectionOptions.Dimensions"/> dense values = the spot's
    /// domain centroid + standard normal noise. Stands in for the PCA/LSI output of a real pipeline at scale.
    /// </summary>
    Reduced,
}

/// <summary>
/// Options of <see cref="LargeSectionSimulator"/>: the ggblocks pattern tiled over a near-square grid of
/// <see cref="SpotCount"/> spots (benchmarks at 10k–1M spots).
/// </summary>
public sealed class LargeSectionOptions
{
    /// <summary>Number of spots N; the grid has ⌈√N⌉ columns and is filled row by row.</summary>
    public int SpotCount { get; set; } = 100_000;
    /// <summary>Side of one ggblocks tile (the pattern repeats every TileSide spots in both directions).</summary>
    public int TileSide { get; set; } = 36;
    /// <summary>Seed of the loadings / domain centroids (the "biology"), as <see cref="SpatialSimulatorOptions.Seed"/>.</summary>
    public int Seed { get; set; } = 101;
    /// <summary>Seed of the per-spot draws; null = <see cref="Seed"/>.</summary>
    public int? SectionSeed { get; set; }
    public LargeSectionFeatures Features { get; set; } = LargeSectionFeatures.Counts;

    /// <summary>Count modalities (used when <see cref="Features"/> is Counts); default RNA (1000 genes) and ADT (100 proteins).</summary>
    public List<ModalitySimulationOptions> Modalities { get; set; } =
        new() { ModalitySimulationOptions.Rna(), ModalitySimulationOptions.Adt() };
    /// <summary>Also keep the count layer (doubles the memory of the count matrices); off by default at scale.</summary>
    public bool KeepCountLayer { get; set; }

    /// <summary>Names of the reduced modalities (used when <see cref="Features"/> is Reduced).</summary>
    public List<string> ReducedModalityNames { get; set; } = new() { "RNA", "ADT" };
    /// <summary>Dimensions per reduced modality.</summary>
    public int Dimensions { get; set; } = 50;
    /// <summary>Standard deviation of the domain centroids' coordinates; noise has sd 1. With 50 dimensions the default
    /// puts centroids ≈ 0.5·√100 = 5 noise sd apart: a nearest-centroid rule on the features alone is right for ~97% of
    /// spots, so spatial smoothing has work to do.</summary>
    public double CentroidSpread { get; set; } = 0.5;

    public double ExpressionMean { get; set; } = 20;
    public double SpatialMixFraction { get; set; } = 0.55;
    public int NonSpatialFactorCount { get; set; } = 3;
    public double NegativeBinomialShape { get; set; } = 10;
    public string? Name { get; set; }

    internal int EffectiveSectionSeed => SectionSeed ?? Seed;

    internal void Validate()
    {
        const string where = "LargeSectionOptions";
        if (SpotCount < 1) throw new ArgumentOutOfRangeException(nameof(SpotCount), SpotCount, $"{where}: SpotCount must be at least 1.");
        if (TileSide < GgblocksPattern.TemplateSide)
            throw new ArgumentOutOfRangeException(nameof(TileSide), TileSide, $"{where}: TileSide must be at least {GgblocksPattern.TemplateSide}.");
        if (Features == LargeSectionFeatures.Counts)
            SpatialSimulatorOptions.ValidateShared(where, Modalities, ExpressionMean, SpatialMixFraction, NonSpatialFactorCount, NegativeBinomialShape);
        else
        {
            if (ReducedModalityNames is null || ReducedModalityNames.Count == 0 || ReducedModalityNames.Any(string.IsNullOrWhiteSpace))
                throw new ArgumentException($"{where}: ReducedModalityNames must hold at least one non-empty name.", nameof(ReducedModalityNames));
            if (ReducedModalityNames.Distinct(StringComparer.Ordinal).Count() != ReducedModalityNames.Count)
                throw new ArgumentException($"{where}: ReducedModalityNames has a duplicate.", nameof(ReducedModalityNames));
            if (Dimensions < 1) throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, $"{where}: Dimensions must be at least 1.");
            if ((long)SpotCount * Dimensions > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, $"{where}: {SpotCount} spots × {Dimensions} dimensions exceed one .NET array.");
            if (!(CentroidSpread >= 0) || double.IsInfinity(CentroidSpread))
                throw new ArgumentOutOfRangeException(nameof(CentroidSpread), CentroidSpread, $"{where}: CentroidSpread must be finite and ≥ 0.");
        }
    }
}
