namespace MLNetSpatialOmics.Cli;

/// <summary>Where the tool writes: normal output (silenced by --quiet), errors, and whether it may redraw lines.</summary>
public sealed class CliConsole
{
    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public bool Quiet { get; set; }
    /// <summary>True when stdout is a terminal: progress redraws one line; otherwise it prints plain lines.</summary>
    public bool Interactive { get; }

    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Out = output;
        Error = error;
        Interactive = interactive;
    }

    public static CliConsole System() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    public void Info(string line)
    {
        if (!Quiet) Out.WriteLine(line);
    }
}
