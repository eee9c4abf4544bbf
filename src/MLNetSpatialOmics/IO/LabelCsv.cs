using System.IO.Compression;
using System.Text;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Reads spot labels from a CSV (optionally .gz) with a header row: the first column is the spot id, the label
/// column is chosen by name (default: the second column). Labels may be integers or strings; they are kept as
/// text. An empty cell means "unknown". Quoted fields (RFC 4180) are understood.
/// </summary>
public static class LabelCsv
{
    public static Dictionary<string, string?> Read(string path, string? labelColumn = null)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: label file not found.", path);
        using Stream raw = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(s, Encoding.UTF8);
        var headerLine = reader.ReadLine() ?? throw new InvalidDataException($"{path}: the file is empty; a header row and one row per spot were expected.");
        var header = Split(headerLine, path, 1);
        if (header.Count < 2) throw new InvalidDataException($"{path}: the header has {header.Count} column; a spot id column and a label column were expected.");
        int col = labelColumn is null ? 1 : header.IndexOf(labelColumn);
        if (col < 0) throw new InvalidDataException($"{path}: no column '{labelColumn}' (columns: {string.Join(", ", header)}).");
        if (col == 0) throw new InvalidDataException($"{path}: column '{labelColumn}' is the spot id column; choose a label column.");
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        string? line;
        int lineNo = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = Split(line, path, lineNo);
            if (f.Count <= col) throw new InvalidDataException($"{path}: line {lineNo} has {f.Count} fields; column '{header[col]}' is field {col + 1}.");
            if (!labels.TryAdd(f[0], f[col].Length == 0 ? null : f[col]))
                throw new InvalidDataException($"{path}: spot id '{f[0]}' appears on line {lineOf[f[0]]} and again on line {lineNo}.");
            lineOf[f[0]] = lineNo;
        }
        return labels;
    }

    private static List<string> Split(string line, string path, int lineNo)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        if (quoted) throw new InvalidDataException($"{path}: line {lineNo} has an unterminated quoted field.");
        fields.Add(sb.ToString().TrimEnd('\r'));
        return fields;
    }

    /// <summary>
    /// Writes <c>spot,&lt;column&gt;</c> rows (a header, then one row per spot; missing labels as empty fields), atomically.
    /// Fields containing commas, quotes or line breaks are quoted.
    /// </summary>
    public static void Write(string path, IReadOnlyList<string> spotIds, IReadOnlyList<string?> labels, string column = "label")
    {
        ArgumentNullException.ThrowIfNull(spotIds);
        ArgumentNullException.ThrowIfNull(labels);
        if (spotIds.Count != labels.Count)
            throw new ArgumentException($"{spotIds.Count} spot ids but {labels.Count} labels for '{path}'.");
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            w.NewLine = "\n";
            w.WriteLine($"spot,{Quote(column)}");
            for (int i = 0; i < spotIds.Count; i++) w.WriteLine($"{Quote(spotIds[i])},{Quote(labels[i] ?? "")}");
        });
    }

    private static string Quote(string s) =>
        s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
