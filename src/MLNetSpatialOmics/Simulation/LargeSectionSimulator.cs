using System.Globalization;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// Large synthetic sections for scale benchmarks: the ggblocks pattern tiled over a near-square grid of any number of
/// spots, holding either sparse ggblocks counts or dense reduced features. Memory is O(N·features) for reduced features
/// and O(non-zeros) for counts; rows are drawn in parallel from per-spot streams, so the result does not depend on the
/// thread count. A one-tile section (SpotCount = TileSide²) equals <see cref="SpatialSimulator.Simulate"/>'s section.
/// </summary>
public static class LargeSectionSimulator
{
    private const ulong CentroidStream = 0x43454E54; // "CENT" + modality index
    private const ulong ReducedStream = 0x52454455;  // "REDU" + modality index

    public static SimulatedSection Simulate(LargeSectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = options.SpotCount, tile = options.TileSide;
        int cols = (int)Math.Ceiling(Math.Sqrt(n));
        int sectionSeed = options.EffectiveSectionSeed;
        double step = 4.0 / (tile - 1); // same spot spacing as one 36×36 section spanning [-2, 2]

        var x = new double[n];
        var y = new double[n];
        var ids = new string[n];
        var truth = new string?[n];
        var domains = new int[n];
        var gridRows = new int[n];
        var gridCols = new int[n];
        Parallel.For(0, n, Parallelism.Options, i =>
        {
            int r = i / cols, c = i % cols;
            x[i] = -2 + c * step;
            y[i] = 2 - r * step;
            ids[i] = i.ToString(CultureInfo.InvariantCulture);
            int d = GgblocksPattern.Domain(r % tile, c % tile, tile);
            domains[i] = d;
            truth[i] = SimulatedSection.DomainLabels[d];
            gridRows[i] = r;
            gridCols[i] = c;
        });

        var spotOfRow = new int[n];
        for (int i = 0; i < n; i++) spotOfRow[i] = i;
        List<ModalityData> modalities;
        Dictionary<string, CsrMatrix> counts;
        Dictionary<string, FeatureLoadings> loadings;
        if (options.Features == LargeSectionFeatures.Counts)
        {
            (modalities, counts, loadings) = SpatialSimulator.GenerateModalities(options.Modalities, options.Seed, sectionSeed,
                options.NonSpatialFactorCount, options.ExpressionMean, options.SpatialMixFraction, options.NegativeBinomialShape,
                shuffleFeatures: false, spotOfRow, spot => domains[spot], options.KeepCountLayer);
        }
        else
        {
            modalities = new List<ModalityData>();
            for (int m = 0; m < options.ReducedModalityNames.Count; m++)
                modalities.Add(Reduced(options, m, sectionSeed, domains));
            counts = new Dictionary<string, CsrMatrix>();
            loadings = new Dictionary<string, FeatureLoadings>();
        }

        string name = options.Name ?? string.Create(CultureInfo.InvariantCulture,
            $"ggblocks-tiled-{n}-seed{options.Seed}-section{sectionSeed}");
        var section = new SpatialSection(ids, x, y, modalities, truth, name);
        return new SimulatedSection(section, counts, domains, gridRows, gridCols, loadings);
    }

    private static ModalityData Reduced(LargeSectionOptions o, int m, int sectionSeed, int[] domains)
    {
        int d = o.Dimensions, n = domains.Length;
        var centroidRng = SimulationRandom.ForStream(o.Seed, CentroidStream + (ulong)m);
        var centroids = new double[GgblocksPattern.DomainCount * d];
        for (int k = 0; k < centroids.Length; k++) centroids[k] = o.CentroidSpread * centroidRng.NextNormal();
        var matrix = new DenseMatrix(n, d);
        const int rowsPerChunk = 4096;
        Parallel.For(0, (n + rowsPerChunk - 1) / rowsPerChunk, Parallelism.Options, chunk =>
        {
            int end = Math.Min(n, (chunk + 1) * rowsPerChunk);
            for (int i = chunk * rowsPerChunk; i < end; i++)
            {
                var rng = SimulationRandom.ForStream(sectionSeed, ReducedStream + (ulong)m, (ulong)i);
                var row = matrix.Row(i);
                int c0 = domains[i] * d;
                for (int k = 0; k < d; k++) row[k] = centroids[c0 + k] + rng.NextNormal();
            }
        });
        string modality = o.ReducedModalityNames[m];
        var names = Enumerable.Range(0, d).Select(k => string.Create(CultureInfo.InvariantCulture, $"{modality}_dim{k}")).ToArray();
        return new ModalityData(modality, names, matrix);
    }
}
