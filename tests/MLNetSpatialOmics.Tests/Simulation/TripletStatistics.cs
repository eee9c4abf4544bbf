using System.Globalization;
using System.IO.Compression;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Simulation;

/// <summary>
/// Summary statistics of one modality matrix of a ggblocks section, computed the same way for the shipped SpatialGlue
/// data and for the simulator, so that the two can be compared.
/// </summary>
internal sealed class TripletStatistics
{
    public double[] DomainMean { get; } = new double[5];
    public double[] DomainZeroFraction { get; } = new double[5];
    /// <summary>Mean / zero fraction of entries where the spot's domain is the feature's spatial factor ("on") or not ("off").</summary>
    public double OnMean, OffMean, OnZeroFraction, OffZeroFraction;
    public double Mean;
    /// <summary>Fraction of entries equal to 0, 1, ..., 59 and ≥ 60.</summary>
    public double[] Histogram { get; } = new double[61];
    public static readonly double[] QuantileLevels = { 0.5, 0.75, 0.9, 0.95, 0.99 };
    public double[] Quantiles { get; } = new double[QuantileLevels.Length];

    public static TripletStatistics Compute(double[][] rows, int[] domains)
    {
        var s = new TripletStatistics();
        int n = rows.Length, j = rows[0].Length;
        // A feature's spatial factor is the domain (1..4) where its mean is highest: the spatial weight (+11) dwarfs the
        // seed-to-seed differences, so this recovers the loading without reading it from the file.
        var colDomainSum = new double[5, j];
        var domainSize = new int[5];
        for (int i = 0; i < n; i++)
        {
            domainSize[domains[i]]++;
            for (int f = 0; f < j; f++) colDomainSum[domains[i], f] += rows[i][f];
        }
        var factor = new int[j];
        for (int f = 0; f < j; f++)
        {
            int best = 1;
            for (int d = 2; d <= 4; d++)
                if (colDomainSum[d, f] / domainSize[d] > colDomainSum[best, f] / domainSize[best]) best = d;
            factor[f] = best;
        }
        var sum = new double[5];
        var zeros = new long[5];
        double onSum = 0, offSum = 0;
        long onN = 0, offN = 0, onZ = 0, offZ = 0;
        var hist = new long[61];
        var all = new double[(long)n * j];
        long p = 0;
        for (int i = 0; i < n; i++)
        {
            int d = domains[i];
            for (int f = 0; f < j; f++)
            {
                double v = rows[i][f];
                all[p++] = v;
                sum[d] += v;
                if (v == 0) zeros[d]++;
                hist[Math.Min(60, (int)v)]++;
                bool on = d == factor[f];
                if (on) { onSum += v; onN++; if (v == 0) onZ++; }
                else { offSum += v; offN++; if (v == 0) offZ++; }
            }
        }
        for (int d = 0; d < 5; d++)
        {
            s.DomainMean[d] = sum[d] / ((double)domainSize[d] * j);
            s.DomainZeroFraction[d] = zeros[d] / ((double)domainSize[d] * j);
        }
        s.OnMean = onSum / onN;
        s.OffMean = offSum / offN;
        s.OnZeroFraction = (double)onZ / onN;
        s.OffZeroFraction = (double)offZ / offN;
        s.Mean = sum.Sum() / all.Length;
        for (int b = 0; b < hist.Length; b++) s.Histogram[b] = hist[b] / (double)all.Length;
        Array.Sort(all);
        for (int q = 0; q < QuantileLevels.Length; q++) s.Quantiles[q] = all[(long)(QuantileLevels[q] * (all.Length - 1))];
        return s;
    }

    /// <summary>Total variation distance between the value histograms (half the L1 distance).</summary>
    public double HistogramDistance(TripletStatistics other) =>
        0.5 * Histogram.Zip(other.Histogram, (a, b) => Math.Abs(a - b)).Sum();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"mean {Mean:F3} domains [{string.Join(", ", DomainMean.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}] " +
        $"zeros [{string.Join(", ", DomainZeroFraction.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}] " +
        $"on {OnMean:F3}/{OnZeroFraction:F4} off {OffMean:F3}/{OffZeroFraction:F4} q [{string.Join(", ", Quantiles)}]");

    public static double[][] Rows(CsrMatrix m) => m.ToDense().ToRows();

    /// <summary>Reads a shipped <c>derived_*.csv.gz</c> (header <c>obs_name,f0,...</c>) and the domain of every row.</summary>
    public static (double[][] Rows, int[] Domains) ReadShipped(string csvGz, IReadOnlyDictionary<string, int> domainOfObs)
    {
        using var gz = new GZipStream(File.OpenRead(csvGz), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        reader.ReadLine();
        var rows = new List<double[]>();
        var domains = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var parts = line.Split(',');
            domains.Add(domainOfObs[parts[0]]);
            var r = new double[parts.Length - 1];
            for (int k = 1; k < parts.Length; k++) r[k - 1] = double.Parse(parts[k], CultureInfo.InvariantCulture);
            rows.Add(r);
        }
        return (rows.ToArray(), domains.ToArray());
    }

    public static Dictionary<string, int> ReadShippedDomains(string gtCsv)
    {
        var lines = File.ReadAllLines(gtCsv);
        var header = lines[0].Split(',');
        int obs = Array.IndexOf(header, "obs_name"), dom = Array.IndexOf(header, "domain");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in lines.Skip(1))
        {
            var p = l.Split(',');
            result[p[obs]] = int.Parse(p[dom], CultureInfo.InvariantCulture);
        }
        return result;
    }
}
