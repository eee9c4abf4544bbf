using System.Globalization;

namespace MLNetSpatialOmics.Cli;

/// <summary>
/// Parses <c>--name value</c>, repeated options and <c>--flag</c> switches for one command, refusing unknown names,
/// missing values and malformed numbers with a message that names the flag.
/// </summary>
public sealed class ArgumentReader
{
    private readonly string _command;
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    public ArgumentReader(string command, IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        _command = command;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
                throw new CliUsageException($"{command}: unexpected argument '{a}' (options start with --; see '{command} --help').");
            string name = a, inline = "";
            bool hasInline = false;
            int eq = a.IndexOf('=');
            if (eq > 0 && valueOptions.Contains(a[..eq])) { name = a[..eq]; inline = a[(eq + 1)..]; hasInline = true; }
            if (flagOptions.Contains(name) && !hasInline) { _flags.Add(name); continue; }
            if (!valueOptions.Contains(name))
                throw new CliUsageException($"{command}: unknown option '{name}'. Known: {string.Join(", ", valueOptions.Concat(flagOptions).Order())}.");
            string value;
            if (hasInline) value = inline;
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else throw new CliUsageException($"{command}: option '{name}' needs a value.");
            if (!_values.TryGetValue(name, out var list)) _values[name] = list = new List<string>();
            list.Add(value);
        }
    }

    public bool Flag(string name) { _consumed.Add(name); return _flags.Contains(name); }

    public IReadOnlyList<string> All(string name)
    {
        _consumed.Add(name);
        return _values.TryGetValue(name, out var list) ? list : Array.Empty<string>();
    }

    public string? Optional(string name)
    {
        var all = All(name);
        if (all.Count > 1) throw new CliUsageException($"{_command}: option '{name}' is given {all.Count} times; give it once.");
        return all.Count == 1 ? all[0] : null;
    }

    public string Required(string name) =>
        Optional(name) ?? throw new CliUsageException($"{_command}: option '{name}' is required.");

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = Optional(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new CliUsageException($"{_command}: option '{name}' needs an integer, got '{s}'.");
        if (v < min || v > max)
            throw new CliUsageException($"{_command}: option '{name}' must be between {min} and {max}, got {v}.");
        return v;
    }

    public int? OptionalInt(string name, int min = int.MinValue, int max = int.MaxValue) =>
        Optional(name) is null ? null : Int(name, 0, min, max);

    public string Choice(string name, string fallback, params string[] choices)
    {
        var s = Optional(name) ?? fallback;
        if (!choices.Contains(s, StringComparer.OrdinalIgnoreCase))
            throw new CliUsageException($"{_command}: option '{name}' must be one of {string.Join("|", choices)}, got '{s}'.");
        return choices.First(c => string.Equals(c, s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Parses repeated <c>NAME=VALUE</c> pairs (e.g. <c>--input RNA=rna.h5ad</c>) preserving order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string name)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var v in All(name))
        {
            int eq = v.IndexOf('=');
            if (eq <= 0 || eq == v.Length - 1)
                throw new CliUsageException($"{_command}: option '{name}' takes NAME=FILE (e.g. {name} RNA=adata_RNA.h5ad), got '{v}'.");
            string key = v[..eq];
            if (result.Any(p => p.Key == key))
                throw new CliUsageException($"{_command}: option '{name}' gives '{key}' twice.");
            result.Add(new(key, v[(eq + 1)..]));
        }
        return result;
    }
}
