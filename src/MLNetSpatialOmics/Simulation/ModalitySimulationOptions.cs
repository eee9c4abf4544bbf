namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// How one modality is simulated. Defaults are SpatialGlue's triplet RNA (see <see cref="Rna"/>, <see cref="Adt"/>,
/// <see cref="Atac"/> for the three presets).
/// </summary>
public sealed class ModalitySimulationOptions
{
    /// <summary>Modality (and IDataView column) name.</summary>
    public string Name { get; set; } = "RNA";
    /// <summary>Prefix of the feature names: <c>{prefix}{index}</c>.</summary>
    public string FeaturePrefix { get; set; } = "gene_";
    /// <summary>Number of features J (all "mixed": every feature loads on one spatial and one non-spatial factor).</summary>
    public int FeatureCount { get; set; } = 1000;
    /// <summary>Background mean added to every entry of the NB mean (NSF's bkg_mean).</summary>
    public double BackgroundMean { get; set; } = 0.2;
    /// <summary>Probability that a spot carries a given non-spatial factor (NSF's nzprob_nsp).</summary>
    public double NonSpatialProbability { get; set; } = 0.2;
    /// <summary>Probability that an entry is zeroed after the NB draw (0 = plain NB, 0.5 for RNA/ATAC).</summary>
    public double ZeroInflation { get; set; } = 0.5;
    /// <summary>Multiplier of the counts before noise is added to the stored values (10 for SpatialGlue's protein).</summary>
    public double CountScale { get; set; } = 1.0;
    /// <summary>Mean of the Gaussian noise that is rounded and added to the non-zero entries.</summary>
    public double NoiseMean { get; set; } = 2.0;
    /// <summary>Standard deviation of that noise (0 = no noise).</summary>
    public double NoiseSd { get; set; } = 0.5;

    /// <summary>SpatialGlue triplet RNA: 1000 genes, bkg 0.2, nzprob 0.2, zero inflation 0.5.</summary>
    public static ModalitySimulationOptions Rna() => new();

    /// <summary>SpatialGlue triplet protein: 100 proteins, bkg 0.4, nzprob 0.25, no zero inflation, stored values 10·counts + noise.</summary>
    public static ModalitySimulationOptions Adt() => new()
    {
        Name = "ADT", FeaturePrefix = "protein_", FeatureCount = 100, BackgroundMean = 0.4,
        NonSpatialProbability = 0.25, ZeroInflation = 0, CountScale = 10,
    };

    /// <summary>SpatialGlue triplet ATAC: 1000 peaks, bkg 0.6 (inferred from the shipped data), nzprob 0.2, zero inflation 0.5.</summary>
    public static ModalitySimulationOptions Atac() => new()
    {
        Name = "ATAC", FeaturePrefix = "peak_", FeatureCount = 1000, BackgroundMean = 0.6,
        NonSpatialProbability = 0.2, ZeroInflation = 0.5,
    };

    internal void Validate(string where)
    {
        string p = $"{where}: modality '{Name}'";
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException($"{where}: a modality has an empty Name.");
        if (FeatureCount < 1) throw new ArgumentOutOfRangeException(nameof(FeatureCount), FeatureCount, $"{p}: FeatureCount must be at least 1.");
        if (!(BackgroundMean >= 0) || double.IsInfinity(BackgroundMean))
            throw new ArgumentOutOfRangeException(nameof(BackgroundMean), BackgroundMean, $"{p}: BackgroundMean must be finite and ≥ 0.");
        CheckProbability(NonSpatialProbability, nameof(NonSpatialProbability), p);
        CheckProbability(ZeroInflation, nameof(ZeroInflation), p);
        if (ZeroInflation >= 1) throw new ArgumentOutOfRangeException(nameof(ZeroInflation), ZeroInflation, $"{p}: ZeroInflation must be below 1 (1 would zero every entry).");
        if (!(CountScale > 0) || double.IsInfinity(CountScale))
            throw new ArgumentOutOfRangeException(nameof(CountScale), CountScale, $"{p}: CountScale must be finite and > 0.");
        if (!double.IsFinite(NoiseMean)) throw new ArgumentOutOfRangeException(nameof(NoiseMean), NoiseMean, $"{p}: NoiseMean must be finite.");
        if (!(NoiseSd >= 0) || double.IsInfinity(NoiseSd))
            throw new ArgumentOutOfRangeException(nameof(NoiseSd), NoiseSd, $"{p}: NoiseSd must be finite and ≥ 0.");
    }

    private static void CheckProbability(double v, string name, string p)
    {
        if (!(v >= 0 && v <= 1)) throw new ArgumentOutOfRangeException(name, v, $"{p}: {name} must be a probability in [0, 1].");
    }

    internal ModalitySimulationOptions Clone() => (ModalitySimulationOptions)MemberwiseClone();
}
