using MLNetSpatialOmics.Cli.Commands;
using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Cli;

/// <summary>
/// Entry point of <c>spatialomics</c>. Exit codes: 0 success, 2 bad arguments or input (the message says what and
/// where), 1 internal error.
/// </summary>
public static class SpatialOmicsTool
{
    public const int Ok = 0, InternalError = 1, BadInput = 2;

    public static IReadOnlyList<ICommand> Commands { get; } = new ICommand[]
    {
        new SimulateCommand(), new ClusterCommand(), new ScoreCommand(), new EvaluateCommand(),
    };

    public static int Run(string[] args, CliConsole console)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            console.Out.WriteLine(Usage());
            return args.Length == 0 ? BadInput : Ok;
        }
        if (args[0] is "--version")
        {
            console.Out.WriteLine($"spatialomics {ModelPersistence.LibraryVersion}");
            return Ok;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            console.Error.WriteLine($"error: unknown command '{args[0]}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
            return BadInput;
        }
        var rest = args[1..].ToList();
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            console.Out.WriteLine(command.Help);
            return Ok;
        }
        console.Quiet = rest.Remove("--quiet");
        try
        {
            return command.Run(rest, console);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e)
        {
            console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            console.Error.WriteLine("Please report this with the command line you used.");
            console.Error.WriteLine(e.StackTrace);
            return InternalError;
        }
    }

    /// <summary>Errors caused by what the user gave us (arguments, files), as opposed to bugs.</summary>
    private static bool IsBadInput(Exception e) => e is CliUsageException or ArgumentException or FileNotFoundException
        or DirectoryNotFoundException or InvalidDataException or H5adFormatException or ModelFormatException or KeyNotFoundException
        or UnauthorizedAccessException;

    private static string Usage() =>
        $"""
        spatialomics {ModelPersistence.LibraryVersion} — spatial multi-omics clustering for .NET (MLNetSpatialOmics)

        Usage: spatialomics <command> [options]      spatialomics <command> --help

        Commands:
        {string.Join(Environment.NewLine, Commands.Select(c => $"  {c.Name,-10} {c.Summary}"))}

        Common options: --quiet (only errors), --help.
        Exit codes: 0 ok, 2 bad arguments or input, 1 internal error.
        """;
}
