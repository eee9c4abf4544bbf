namespace MLNetSpatialOmics.Cli;

/// <summary>One sub-command of the <c>spatialomics</c> tool.</summary>
public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    string Help { get; }
    /// <summary>Runs the command; throws <see cref="CliUsageException"/> for bad arguments or input.</summary>
    int Run(IReadOnlyList<string> args, CliConsole console);
}
