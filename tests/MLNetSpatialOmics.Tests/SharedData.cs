namespace MLNetSpatialOmics.Tests;

/// <summary>
/// Locates the project's <c>../shared</c> folder (benchmark data and golden fixtures). Tests that need it call
/// <see cref="Require"/>: without the folder they are skipped (Inconclusive) with the reason, unless
/// <c>SPATIALOMICS_REQUIRE_SHARED=1</c> (set by .ci/run), where a missing file fails the test.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("SPATIALOMICS_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNetSpatialOmics.sln")))
            {
                var shared = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared");
                return Directory.Exists(shared) ? shared : null;
            }
        }
        return null;
    }

    /// <summary>Full path of <paramref name="relativePath"/> under shared/ (e.g. <c>data/hln_a1/adata_ADT.h5ad</c>).</summary>
    public static string Require(string relativePath)
    {
        var root = Root.Value;
        var path = root is null ? null : Path.Combine(root, relativePath);
        if (path is not null && (File.Exists(path) || Directory.Exists(path))) return path;
        string reason = $"needs ../shared/{relativePath} (the project's shared benchmark data/fixtures), which is not present";
        if (Environment.GetEnvironmentVariable("SPATIALOMICS_REQUIRE_SHARED") == "1")
            Assert.Fail(reason + "; SPATIALOMICS_REQUIRE_SHARED=1 makes it mandatory.");
        Assert.Inconclusive(reason + "; skipped.");
        return null!;
    }

    public static string Fixture(string name) => Require(Path.Combine("fixtures", name));
    public static string DataFile(string relative) => Require(Path.Combine("data", relative));
}
