using System.Globalization;
using System.IO.Compression;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Benchmarks.Trainers;

/// <summary>The SpatialGlue triplet simulation from its CSV exports (counts per modality, truth + coordinates).</summary>
internal sealed class TripletSection
{
    public required string[] SpotIds { get; init; }
    public required DenseMatrix Coordinates { get; init; }
    public required int[] Truth { get; init; }
    public required Dictionary<string, DenseMatrix> Counts { get; init; }

    public static string DataDirectory()
    {
        var dir = Environment.GetEnvironmentVariable("SPATIALOMICS_DATA") is { Length: > 0 } d ? d : "/work/shared/data";
        return Path.Combine(dir, "simulation_spatialglue_triplet");
    }

    public static TripletSection Load(string directory, string layer = "X")
    {
        var truthLines = File.ReadAllLines(Path.Combine(directory, "derived_GT_labels.csv"));
        var header = truthLines[0].Split(',');
        int iX = Array.IndexOf(header, "x"), iY = Array.IndexOf(header, "y"), iD = Array.IndexOf(header, "domain");
        if (iX < 0 || iY < 0 || iD < 0) throw new InvalidDataException("derived_GT_labels.csv needs columns x, y, domain.");
        var ids = new List<string>();
        var coords = new List<double[]>();
        var truth = new List<int>();
        foreach (var line in truthLines.Skip(1))
        {
            if (line.Length == 0) continue;
            var p = line.Split(',');
            ids.Add(p[0]);
            coords.Add(new[] { double.Parse(p[iX], CultureInfo.InvariantCulture), double.Parse(p[iY], CultureInfo.InvariantCulture) });
            truth.Add(int.Parse(p[iD], CultureInfo.InvariantCulture));
        }
        var counts = new Dictionary<string, DenseMatrix>();
        foreach (var modality in new[] { "RNA", "ADT", "ATAC" })
            counts[modality] = ReadCsv(Path.Combine(directory, $"derived_{modality}_{layer}.csv.gz"), ids);
        return new TripletSection { SpotIds = ids.ToArray(), Coordinates = DenseMatrix.FromRows(coords), Truth = truth.ToArray(), Counts = counts };
    }

    private static DenseMatrix ReadCsv(string path, List<string> order)
    {
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.");
        int cols = header.Split(',').Length - 1;
        var rows = new Dictionary<string, double[]>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var p = line.Split(',');
            var values = new double[cols];
            for (int j = 0; j < cols; j++) values[j] = double.Parse(p[j + 1], CultureInfo.InvariantCulture);
            rows[p[0]] = values;
        }
        return DenseMatrix.FromRows(order.Select(id => rows.TryGetValue(id, out var v) ? v
            : throw new InvalidDataException($"{path} has no row for spot '{id}'.")).ToList());
    }
}
