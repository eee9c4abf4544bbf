using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// Draws one modality's count layer and stored values row by row. Every spot has its own addressed random stream
/// (seed, modality, spot), so rows are generated in parallel, the result does not depend on the thread count, and a
/// shuffled section holds exactly the permuted values of the unshuffled one.
/// </summary>
internal sealed class CountMatrixGenerator
{
    internal const ulong NonSpatialStream = 0x4E534641; // "NSFA"
    private const ulong CountStreamBase = 0x434E5400;   // "CNT" + modality index
    private const int RowsPerChunk = 2048;

    private readonly ModalitySimulationOptions _modality;
    private readonly int _modalityIndex;
    private readonly FeatureLoadings _loadings;
    private readonly int _nonSpatialFactorCount;
    private readonly long _sectionSeed;
    // Index = (spatial factor on ? 1 : 0) + (non-spatial factor on ? 2 : 0): NB mean is one of four values.
    private readonly NegativeBinomialSampler[] _samplers;

    public CountMatrixGenerator(ModalitySimulationOptions modality, int modalityIndex, FeatureLoadings loadings,
        int nonSpatialFactorCount, double expressionMean, double spatialMixFraction, double shape, long sectionSeed)
    {
        _modality = modality;
        _modalityIndex = modalityIndex;
        _loadings = loadings;
        _nonSpatialFactorCount = nonSpatialFactorCount;
        _sectionSeed = sectionSeed;
        double spatialWeight = spatialMixFraction * expressionMean;
        double nonSpatialWeight = (1 - spatialMixFraction) * expressionMean;
        double bkg = modality.BackgroundMean;
        _samplers = new[]
        {
            new NegativeBinomialSampler(bkg, shape),
            new NegativeBinomialSampler(bkg + spatialWeight, shape),
            new NegativeBinomialSampler(bkg + nonSpatialWeight, shape),
            new NegativeBinomialSampler(bkg + spatialWeight + nonSpatialWeight, shape),
        };
    }

    /// <summary>
    /// Whether spot <paramref name="spot"/> carries each non-spatial factor. The uniforms come from a per-spot stream
    /// shared by all modalities (SpatialGlue used one seed for all three), each compared with the modality's probability.
    /// </summary>
    internal static void NonSpatialMembership(long sectionSeed, int spot, double probability, Span<bool> member)
    {
        var rng = SimulationRandom.ForStream(sectionSeed, NonSpatialStream, (ulong)spot);
        for (int l = 0; l < member.Length; l++) member[l] = rng.NextDouble() < probability;
    }

    /// <param name="spotOfRow">Original (grid) spot index of each output row.</param>
    /// <param name="domainOfSpot">Domain (0 = background, k = spatial factor k) of an original spot index.</param>
    /// <param name="featureOfColumn">Original feature index of each output column (a permutation), or null for identity.</param>
    /// <param name="keepCounts">False returns only the stored values (Counts = null), for memory-lean large sections.</param>
    public (CsrMatrix? Counts, CsrMatrix Values) Generate(int[] spotOfRow, Func<int, int> domainOfSpot, int[]? featureOfColumn,
        bool keepCounts = true)
    {
        int rows = spotOfRow.Length, cols = _modality.FeatureCount;
        int chunks = (rows + RowsPerChunk - 1) / RowsPerChunk;
        var parts = new ChunkResult[chunks];
        Parallel.For(0, chunks, Parallelism.Options, c =>
        {
            int start = c * RowsPerChunk, end = Math.Min(rows, start + RowsPerChunk);
            parts[c] = GenerateChunk(spotOfRow, start, end, domainOfSpot, featureOfColumn, keepCounts);
        });

        var rowPtr = new long[rows + 1];
        long nnz = 0;
        foreach (var p in parts) nnz += p.Columns.Count;
        if (nnz > Array.MaxLength)
            throw new InvalidOperationException($"modality '{_modality.Name}': {nnz} non-zero entries exceed one .NET array; simulate fewer spots or features.");
        var colIdx = new int[nnz];
        var counts = keepCounts ? new double[nnz] : null;
        var values = new double[nnz];
        long offset = 0;
        int row = 0;
        for (int c = 0; c < parts.Length; c++)
        {
            var p = parts[c];
            p.Columns.CopyTo(colIdx, (int)offset);
            if (counts is not null) p.Counts.CopyTo(counts, (int)offset);
            p.Values.CopyTo(values, (int)offset);
            foreach (int len in p.RowLengths)
            {
                rowPtr[row + 1] = rowPtr[row] + len;
                row++;
            }
            offset += p.Columns.Count;
            parts[c] = null!; // let the chunk's lists go while the rest is copied
        }
        var valueMatrix = new CsrMatrix(rows, cols, rowPtr, colIdx, values, validate: false);
        if (counts is null) return (null, valueMatrix);
        return (new CsrMatrix(rows, cols, (long[])rowPtr.Clone(), (int[])colIdx.Clone(), counts, validate: false), valueMatrix);
    }

    private sealed class ChunkResult
    {
        public readonly List<int> Columns = new();
        public readonly List<double> Counts = new();
        public readonly List<double> Values = new();
        public readonly List<int> RowLengths = new();
    }

    private ChunkResult GenerateChunk(int[] spotOfRow, int start, int end, Func<int, int> domainOfSpot, int[]? featureOfColumn,
        bool keepCounts)
    {
        int cols = _modality.FeatureCount;
        var result = new ChunkResult();
        var rowCounts = new int[cols];
        var rowNoise = new int[cols];
        Span<bool> member = stackalloc bool[_nonSpatialFactorCount];
        int[] spatial = _loadings.SpatialFactor, nonSpatial = _loadings.NonSpatialFactor;
        double zi = _modality.ZeroInflation, scale = _modality.CountScale;
        double noiseMean = _modality.NoiseMean, noiseSd = _modality.NoiseSd;
        for (int r = start; r < end; r++)
        {
            int spot = spotOfRow[r];
            int factor = domainOfSpot(spot) - 1; // -1 = background: no spatial factor
            NonSpatialMembership(_sectionSeed, spot, _modality.NonSpatialProbability, member);
            var rng = SimulationRandom.ForStream(_sectionSeed, CountStreamBase + (ulong)_modalityIndex, (ulong)spot);
            // Draw in original feature order so that a feature permutation only moves values.
            for (int j = 0; j < cols; j++)
            {
                rowNoise[j] = 0;
                if (zi > 0 && rng.NextDouble() < zi) { rowCounts[j] = 0; continue; }
                int level = (spatial[j] == factor ? 1 : 0) + (member[nonSpatial[j]] ? 2 : 0);
                int y = _samplers[level].Sample(rng);
                rowCounts[j] = y;
                if (y > 0 && noiseSd > 0) rowNoise[j] = (int)Math.Round(rng.NextNormal(noiseMean, noiseSd), MidpointRounding.ToEven);
                else if (y > 0) rowNoise[j] = (int)Math.Round(noiseMean, MidpointRounding.ToEven);
            }
            int before = result.Columns.Count;
            for (int c = 0; c < cols; c++)
            {
                int j = featureOfColumn is null ? c : featureOfColumn[c];
                int y = rowCounts[j];
                if (y == 0) continue;
                // Zeros stay zeros (noise only touches measured entries); a rare negative noise draw cannot go below 0.
                double value = Math.Max(0, scale * y + rowNoise[j]);
                result.Columns.Add(c);
                if (keepCounts) result.Counts.Add(y);
                result.Values.Add(value);
            }
            result.RowLengths.Add(result.Columns.Count - before);
        }
        return result;
    }
}
