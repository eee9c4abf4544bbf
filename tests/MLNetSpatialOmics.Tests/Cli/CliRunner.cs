using MLNetSpatialOmics.Cli;

namespace MLNetSpatialOmics.Tests.Cli;

/// <summary>Runs the tool in-process with captured output.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = SpatialOmicsTool.Run(args, new CliConsole(o, e, interactive: false));
        return (code, o.ToString(), e.ToString());
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), $"mlnso-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }
}
