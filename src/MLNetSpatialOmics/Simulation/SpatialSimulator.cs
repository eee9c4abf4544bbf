using System.Globalization;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// NSF's "ggblocks" simulation as SpatialGlue used it for its triple-omics benchmark: a Side×Side grid of spots, four
/// block-shaped spatial factors plus background (five domains), every feature loading on one spatial and one non-spatial
/// factor ("mixed" features), negative-binomial counts, zero inflation for RNA/ATAC, and rounded Gaussian noise on the
/// non-zero entries. Deterministic per (Seed, SectionSeed) on every platform.
/// </summary>
public static class SpatialSimulator
{
    private const ulong SpotOrderStream = 0x53504F54;    // "SPOT"
    private const ulong FeatureOrderStream = 0x46454154; // "FEAT" + modality index

    /// <summary>One section. Defaults reproduce the layout and statistics of SpatialGlue's triplet data (seed 101).</summary>
    public static SimulatedSection Simulate(SpatialSimulatorOptions? options = null)
    {
        options ??= new SpatialSimulatorOptions();
        options.Validate();
        int side = options.Side;
        int n = side * side;
        int sectionSeed = options.EffectiveSectionSeed;

        int[] spotOfRow = options.ShuffleSpots
            ? SimulationRandom.ForStream(sectionSeed, SpotOrderStream).Permutation(n)
            : Enumerable.Range(0, n).ToArray();

        // Coordinates as NSF: t = linspace(-2, 2, side); spot (r, c) sits at (t[c], -t[r]).
        double step = 4.0 / (side - 1);
        var x = new double[n];
        var y = new double[n];
        var ids = new string[n];
        var truth = new string?[n];
        var domains = new int[n];
        var gridRows = new int[n];
        var gridCols = new int[n];
        for (int i = 0; i < n; i++)
        {
            int spot = spotOfRow[i], r = spot / side, c = spot % side;
            x[i] = -2 + c * step;
            y[i] = -(-2 + r * step);
            ids[i] = spot.ToString(CultureInfo.InvariantCulture);
            domains[i] = GgblocksPattern.Domain(r, c, side);
            truth[i] = SimulatedSection.DomainLabels[domains[i]];
            gridRows[i] = r;
            gridCols[i] = c;
        }

        int DomainOfSpot(int spot) => GgblocksPattern.Domain(spot / side, spot % side, side);
        var (modalities, counts, loadings) = GenerateModalities(options.Modalities, options.Seed, sectionSeed,
            options.NonSpatialFactorCount, options.ExpressionMean, options.SpatialMixFraction, options.NegativeBinomialShape,
            options.ShuffleFeatures, spotOfRow, DomainOfSpot);

        string name = options.Name ?? $"ggblocks-seed{options.Seed}-section{sectionSeed}";
        var section = new SpatialSection(ids, x, y, modalities, truth, name);
        return new SimulatedSection(section, counts, domains, gridRows, gridCols, loadings);
    }

    /// <summary>
    /// <paramref name="count"/> sections of the same tissue (same <see cref="SpatialSimulatorOptions.Seed"/>, so the
    /// same feature loadings) with section seeds SectionSeed, SectionSeed + 1, ...: different spots' non-spatial factors,
    /// counts and noise.
    /// </summary>
    public static IReadOnlyList<SimulatedSection> SimulateSections(SpatialSimulatorOptions options, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of sections must be at least 1.");
        var result = new List<SimulatedSection>(count);
        int first = options.EffectiveSectionSeed;
        for (int k = 0; k < count; k++)
        {
            var o = Copy(options);
            o.SectionSeed = checked(first + k);
            o.Name = options.Name is null ? null : $"{options.Name}-{k}";
            result.Add(Simulate(o));
        }
        return result;
    }

    private static SpatialSimulatorOptions Copy(SpatialSimulatorOptions o) => new()
    {
        Side = o.Side, Seed = o.Seed, SectionSeed = o.SectionSeed,
        Modalities = o.Modalities.Select(m => m.Clone()).ToList(),
        ExpressionMean = o.ExpressionMean, SpatialMixFraction = o.SpatialMixFraction,
        NonSpatialFactorCount = o.NonSpatialFactorCount, NegativeBinomialShape = o.NegativeBinomialShape,
        ShuffleSpots = o.ShuffleSpots, ShuffleFeatures = o.ShuffleFeatures, Name = o.Name,
    };

    internal static (List<ModalityData>, Dictionary<string, CsrMatrix>, Dictionary<string, FeatureLoadings>) GenerateModalities(
        List<ModalitySimulationOptions> modalityOptions, int seed, int sectionSeed, int nonSpatialFactorCount,
        double expressionMean, double spatialMixFraction, double shape, bool shuffleFeatures, int[] spotOfRow,
        Func<int, int> domainOfSpot, bool keepCounts = true)
    {
        var modalities = new List<ModalityData>();
        var counts = new Dictionary<string, CsrMatrix>(StringComparer.Ordinal);
        var loadings = new Dictionary<string, FeatureLoadings>(StringComparer.Ordinal);
        for (int m = 0; m < modalityOptions.Count; m++)
        {
            var mo = modalityOptions[m];
            var load = FeatureLoadings.Draw(seed, mo.FeatureCount, GgblocksPattern.FactorCount, nonSpatialFactorCount);
            int[]? featureOfColumn = shuffleFeatures
                ? SimulationRandom.ForStream(sectionSeed, FeatureOrderStream + (ulong)m).Permutation(mo.FeatureCount)
                : null;
            var generator = new CountMatrixGenerator(mo, m, load, nonSpatialFactorCount, expressionMean,
                spatialMixFraction, shape, sectionSeed);
            var (countLayer, values) = generator.Generate(spotOfRow, domainOfSpot, featureOfColumn, keepCounts);
            var names = new string[mo.FeatureCount];
            for (int c = 0; c < names.Length; c++)
                names[c] = mo.FeaturePrefix + (featureOfColumn is null ? c : featureOfColumn[c]).ToString(CultureInfo.InvariantCulture);
            modalities.Add(new ModalityData(mo.Name, names, values));
            if (countLayer is not null) counts[mo.Name] = countLayer;
            loadings[mo.Name] = load;
        }
        return (modalities, counts, loadings);
    }
}
