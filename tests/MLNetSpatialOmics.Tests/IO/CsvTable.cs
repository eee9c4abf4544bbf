using System.Globalization;
using System.IO.Compression;

namespace MLNetSpatialOmics.Tests.IO;

/// <summary>A plain CSV (optionally .gz) as header + rows of strings: the independent side of the h5ad cross-checks.</summary>
internal sealed class CsvTable
{
    public string[] Header { get; }
    public List<string[]> Rows { get; } = new();

    private CsvTable(string[] header) => Header = header;

    public static CsvTable Load(string path)
    {
        using Stream raw = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(s);
        var table = new CsvTable(reader.ReadLine()!.Split(','));
        string? line;
        while ((line = reader.ReadLine()) is not null)
            if (line.Length > 0) table.Rows.Add(line.Split(','));
        return table;
    }

    public int Column(string name) => Array.IndexOf(Header, name) is var i and >= 0 ? i : throw new KeyNotFoundException(name);

    public double Number(int row, int col) => double.Parse(Rows[row][col], CultureInfo.InvariantCulture);
}
