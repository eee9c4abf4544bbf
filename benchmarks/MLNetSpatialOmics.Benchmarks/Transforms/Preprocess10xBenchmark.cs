using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Transforms;

namespace MLNetSpatialOmics.Benchmarks.Transforms;

/// <summary>
/// PRAGA's "10x" preprocessing preset on a synthetic section: 50,000 spots × 18,000 genes, 5 % non-zero (45 M counts),
/// plus 31 ADT proteins. Targets: under 60 s, peak memory under 6 GB. Arguments: <see cref="Options"/>.
/// </summary>
public sealed class Preprocess10xBenchmark : IBenchmark
{
    public string Name => "preprocess-10x";
    public string Description => "10x preset (filter, normalise, log1p, seurat_v3 HVG, scale, PCA; CLR, scale, PCA) on 50k × 18k sparse RNA";

    public IReadOnlyList<BenchmarkOption> Options { get; } = new[]
    {
        BenchmarkOption.Positional("spots", "spots (default 50000)"),
        BenchmarkOption.Positional("genes", "genes (default 18000)"),
        BenchmarkOption.Positional("density", "fraction of non-zero RNA counts (default 0.05)"),
    };

    public int Run(string[] args)
    {
        int spots = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        int genes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 18_000;
        double density = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.05;
        const int proteins = 31;

        var sw = Stopwatch.StartNew();
        var view = Synthetic(spots, genes, density, proteins, seed: 42, out long nnz);
        double genSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"synthetic section: {spots} spots × {genes} genes, {nnz} non-zeros ({100.0 * nnz / ((double)spots * genes):F2} %), {proteins} proteins; generated in {genSeconds:F1} s");

        var ml = new MLContext(seed: 0);
        var preset = PragaPresets.Build(ml, PragaDataType.TenX, progress: line => Console.WriteLine("  " + line));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        sw.Restart();
        var model = preset.Fit(view);
        double fitCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        double fitSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var output = model.Transform(view);
        var rna = DataViewReader.ReadVectorColumn(output, "RNA_feat");
        var adt = DataViewReader.ReadVectorColumn(output, "ADT_feat");
        double transformSeconds = sw.Elapsed.TotalSeconds;
        double peak = PeakRssMegabytes();

        Console.WriteLine($"RNA_feat {rna.Rows}×{rna.Cols}, ADT_feat {adt.Rows}×{adt.Cols}");
        Console.WriteLine("| step | seconds |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| fit (includes transforming the training section once) | {fitSeconds:F1} |");
        Console.WriteLine($"| fit CPU time (all threads) | {fitCpu:F1} |");
        Console.WriteLine($"| transform again + read outputs | {transformSeconds:F1} |");
        Console.WriteLine($"| peak RSS (MB) | {peak:F0} |");
        bool ok = fitSeconds < 60 && peak < 6 * 1024;
        Console.WriteLine(ok ? "within target (fit < 60 s, peak < 6 GB)" : "OUTSIDE target (fit < 60 s, peak < 6 GB)");
        return 0;
    }

    /// <summary>VmHWM from /proc/self/status ("VmHWM:\t  123456 kB").</summary>
    private static double PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
    }

    /// <summary>Genes get log-normal mean levels; ~10 % are "bursty" (overdispersed), the rest Poisson-like counts ≥ 1 where non-zero.</summary>
    private static IDataView Synthetic(int spots, int genes, double density, int proteins, int seed, out long nnz)
    {
        var rng = new Random(seed);
        var level = new double[genes];
        for (int j = 0; j < genes; j++) level[j] = Math.Exp(rng.NextDouble() * 3);
        var bursty = new bool[genes];
        for (int j = 0; j < genes; j++) bursty[j] = rng.NextDouble() < 0.1;
        var rowPtr = new long[spots + 1];
        int perRow = (int)Math.Round(genes * density);
        var indices = new int[(long)spots * perRow];
        var values = new float[(long)spots * perRow];
        var chosen = new HashSet<int>();
        long o = 0;
        for (int i = 0; i < spots; i++)
        {
            chosen.Clear();
            while (chosen.Count < perRow) chosen.Add(rng.Next(genes));
            var cols = chosen.ToArray();
            Array.Sort(cols);
            foreach (var j in cols)
            {
                double mean = bursty[j] && rng.NextDouble() < 0.2 ? level[j] * 6 : level[j];
                indices[o] = j;
                values[o] = 1 + (float)Math.Floor(-Math.Log(1 - rng.NextDouble()) * mean);
                o++;
            }
            rowPtr[i + 1] = o;
        }
        nnz = o;
        var adt = new float[(long)spots * proteins];
        for (long k = 0; k < adt.LongLength; k++) adt[k] = (float)Math.Floor(-Math.Log(1 - rng.NextDouble()) * 200);
        var geneNames = Enumerable.Range(0, genes).Select(j => "GENE" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        var proteinNames = Enumerable.Range(0, proteins).Select(j => "PROT" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new InMemoryDataView(new InMemoryColumn[]
        {
            SparseVectorColumn.FromArrays("RNA", genes, rowPtr, indices, values, geneNames),
            InMemoryColumn.Vector("ADT", adt, proteins, proteinNames),
        });
    }
}
