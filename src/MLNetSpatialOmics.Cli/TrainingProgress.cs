using System.Diagnostics;
using System.Globalization;

namespace MLNetSpatialOmics.Cli;

/// <summary>
/// Per-epoch progress: on a terminal one redrawn line (epoch, loss terms, ETA); when redirected, plain lines about
/// every tenth of the run and always the last epoch; nothing with --quiet. Keeps every term for the loss plot.
/// </summary>
public sealed class TrainingProgress
{
    private readonly CliConsole _console;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _lastPrinted = -1;

    public Dictionary<string, List<double>> History { get; } = new(StringComparer.Ordinal);

    public TrainingProgress(CliConsole console) => _console = console;

    public void Report(int epoch, int epochs, IReadOnlyList<(string Name, double Value)> terms)
    {
        foreach (var (name, value) in terms)
        {
            if (!History.TryGetValue(name, out var list)) History[name] = list = new List<double>();
            list.Add(value);
        }
        if (_console.Quiet) return;
        int done = epoch + 1;
        double elapsed = _clock.Elapsed.TotalSeconds;
        double eta = done > 0 ? elapsed / done * (epochs - done) : 0;
        string line = $"epoch {done,4}/{epochs}  " +
            string.Join("  ", terms.Select(t => $"{t.Name} {t.Value.ToString("G4", CultureInfo.InvariantCulture)}")) +
            $"  elapsed {elapsed:F0}s  ETA {eta:F0}s";
        if (_console.Interactive)
        {
            _console.Out.Write("\r" + line.PadRight(Math.Min(160, line.Length + 4)));
            if (done == epochs) _console.Out.WriteLine();
        }
        else
        {
            int step = Math.Max(1, epochs / 10);
            if (done == epochs || done - _lastPrinted >= step || _lastPrinted < 0)
            {
                _console.Out.WriteLine(line);
                _lastPrinted = done;
            }
        }
    }

    public void Finish(string summary)
    {
        if (_console.Interactive && !_console.Quiet) _console.Out.WriteLine();
        _console.Info(summary);
    }
}
