namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// Options of <see cref="SpatialSimulator"/>: NSF's ggblocks generator with SpatialGlue's triple-omics settings by
/// default (36×36 grid, RNA 1000 / ADT 100 / ATAC 1000 mixed features, NB shape 10).
/// </summary>
public sealed class SpatialSimulatorOptions
{
    /// <summary>Grid side: the section has Side² spots. 36 reproduces SpatialGlue's data.</summary>
    public int Side { get; set; } = 36;

    /// <summary>
    /// Seed of the "biology": which spatial and non-spatial factor every feature loads on. Sections that share it
    /// share the meaning of their features, so a model fitted on one can score another.
    /// </summary>
    public int Seed { get; set; } = 101;

    /// <summary>
    /// Seed of everything drawn per section: non-spatial factor membership of the spots, counts, zero inflation,
    /// noise and the optional shuffles. Null = <see cref="Seed"/>.
    /// </summary>
    public int? SectionSeed { get; set; }

    /// <summary>Modalities in column order; default RNA, ADT, ATAC.</summary>
    public List<ModalitySimulationOptions> Modalities { get; set; } =
        new() { ModalitySimulationOptions.Rna(), ModalitySimulationOptions.Adt(), ModalitySimulationOptions.Atac() };

    /// <summary>Mean of a feature's expression when a spot carries its factor (NSF's expr_mean).</summary>
    public double ExpressionMean { get; set; } = 20;
    /// <summary>Share of <see cref="ExpressionMean"/> given to the spatial factor of a mixed feature (NSF's mix_frac_spat).</summary>
    public double SpatialMixFraction { get; set; } = 0.55;
    /// <summary>Number of non-spatial factors (NSF's L_ns).</summary>
    public int NonSpatialFactorCount { get; set; } = 3;
    /// <summary>Negative-binomial shape r (variance μ + μ²/r).</summary>
    public double NegativeBinomialShape { get; set; } = 10;

    /// <summary>Store spots in a random order instead of grid order (spot ids still name the grid cell).</summary>
    public bool ShuffleSpots { get; set; }
    /// <summary>Store each modality's features in a random order (names travel with their columns).</summary>
    public bool ShuffleFeatures { get; set; }

    /// <summary>Optional section name; default <c>ggblocks-seed{Seed}-section{SectionSeed}</c>.</summary>
    public string? Name { get; set; }

    internal int EffectiveSectionSeed => SectionSeed ?? Seed;

    internal void Validate()
    {
        const string where = "SpatialSimulatorOptions";
        if (Side < GgblocksPattern.TemplateSide || Side > 46340)
            throw new ArgumentOutOfRangeException(nameof(Side), Side, $"{where}: Side must be between {GgblocksPattern.TemplateSide} and 46340 (Side² spots must fit an int).");
        ValidateShared(where, Modalities, ExpressionMean, SpatialMixFraction, NonSpatialFactorCount, NegativeBinomialShape);
    }

    internal static void ValidateShared(string where, List<ModalitySimulationOptions>? modalities, double expressionMean,
        double spatialMixFraction, int nonSpatialFactorCount, double shape)
    {
        if (modalities is null || modalities.Count == 0)
            throw new ArgumentException($"{where}: Modalities must contain at least one modality.", nameof(Modalities));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in modalities)
        {
            if (m is null) throw new ArgumentException($"{where}: Modalities contains a null entry.", nameof(Modalities));
            m.Validate(where);
            if (!names.Add(m.Name)) throw new ArgumentException($"{where}: modality '{m.Name}' is listed twice.", nameof(Modalities));
        }
        if (!(expressionMean >= 0) || double.IsInfinity(expressionMean))
            throw new ArgumentOutOfRangeException(nameof(ExpressionMean), expressionMean, $"{where}: ExpressionMean must be finite and ≥ 0.");
        if (!(spatialMixFraction >= 0 && spatialMixFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(SpatialMixFraction), spatialMixFraction, $"{where}: SpatialMixFraction must be in [0, 1].");
        if (nonSpatialFactorCount < 1)
            throw new ArgumentOutOfRangeException(nameof(NonSpatialFactorCount), nonSpatialFactorCount, $"{where}: NonSpatialFactorCount must be at least 1.");
        if (!(shape > 0) || double.IsInfinity(shape))
            throw new ArgumentOutOfRangeException(nameof(NegativeBinomialShape), shape, $"{where}: NegativeBinomialShape must be finite and > 0.");
    }
}
