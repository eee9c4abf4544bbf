using System.Globalization;
using MLNetSpatialOmics.Graphs;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Benchmarks.Scale;

/// <summary>
/// A disk cache of feature neighbour lists for repeated scale runs (a million-spot section spends ≈ 20 min in the two
/// searches): keyed by the matrix shape, a fingerprint of its values and the search options; written to a temporary
/// file and renamed, so an interrupted run leaves no half-written entry.
/// </summary>
internal sealed class NeighborListCache
{
    private readonly string _directory;

    public NeighborListCache(string directory)
    {
        Directory.CreateDirectory(directory);
        _directory = directory;
    }

    public NeighborList GetOrCompute(DenseMatrix features, FeatureKnnOptions options, Func<NeighborList> compute)
    {
        string path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture,
            $"knn-{features.Rows}x{features.Cols}-k{options.K}-{options.Metric}-s{options.Seed}-{Fingerprint(features):x16}.bin"));
        if (File.Exists(path))
        {
            Console.Error.WriteLine($"[graph-cache] reading {path}");
            return Read(path);
        }
        var lists = compute();
        string temporary = path + ".tmp";
        Write(lists, temporary);
        File.Move(temporary, path, overwrite: true);
        Console.Error.WriteLine($"[graph-cache] wrote {path}");
        return lists;
    }

    private static ulong Fingerprint(DenseMatrix m)
    {
        ulong hash = 14695981039346656037UL;
        var data = m.Data;
        long step = Math.Max(1, data.LongLength / 100_003);
        for (long i = 0; i < data.LongLength; i += step)
        {
            hash ^= (ulong)BitConverter.DoubleToInt64Bits(data[i]);
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private static void Write(NeighborList lists, string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(lists.Count);
        writer.Write(lists.K);
        foreach (var i in lists.Indices) writer.Write(i);
        foreach (var d in lists.Distances) writer.Write(d);
    }

    private static NeighborList Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32(), k = reader.ReadInt32();
        long n = (long)count * k;
        var indices = new int[n];
        var distances = new double[n];
        for (long p = 0; p < n; p++) indices[p] = reader.ReadInt32();
        for (long p = 0; p < n; p++) distances[p] = reader.ReadDouble();
        return new NeighborList(count, k, indices, distances);
    }
}
