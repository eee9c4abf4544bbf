namespace MLNetSpatialOmics.Cli;

/// <summary>Bad arguments or bad input files: the message says what and where; the tool exits with code 2.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message) : base(message) { }
    public CliUsageException(string message, Exception inner) : base(message, inner) { }
}
