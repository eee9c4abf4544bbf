using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Numerics;
using PureHDF;

namespace MLNetSpatialOmics.Tests.IO;

/// <summary>Temp folders, committed fixtures and small hand-built (possibly broken) h5ad files for the IO tests.</summary>
internal static class IoTestFiles
{
    // Keyed by the calling source file, so one class's cleanup never deletes another (parallel) class's folders.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentBag<string>> Created = new();

    public static string TempDir([System.Runtime.CompilerServices.CallerFilePath] string owner = "")
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlnso-io-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Created.GetOrAdd(owner, _ => new()).Add(dir);
        return dir;
    }

    /// <summary>Deletes the temp folders the calling test class made (call it from its ClassCleanup).</summary>
    public static void CleanUp([System.Runtime.CompilerServices.CallerFilePath] string owner = "")
    {
        if (!Created.TryGetValue(owner, out var bag)) return;
        while (bag.TryTake(out var dir))
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A committed file under tests/MLNetSpatialOmics.Tests/IO/Fixtures (found from the solution folder).</summary>
    public static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLNetSpatialOmics.sln")))
                return Path.Combine(dir.FullName, "tests", "MLNetSpatialOmics.Tests", "IO", "Fixtures", name);
        throw new DirectoryNotFoundException("solution folder not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A small valid AnnData: 4 spots s0..s3 × 3 features, CSR X, obsm/spatial, a categorical label.</summary>
    public static AnnData Small(string prefix = "s", string[]? features = null, double[,]? coords = null)
    {
        var x = new CsrMatrix(4, 3, new long[] { 0, 1, 3, 3, 5 }, new[] { 2, 0, 1, 0, 2 }, new[] { 1.0, 2, 3, 4, 5 });
        var ad = new AnnData(Enumerable.Range(0, 4).Select(i => prefix + i).ToArray(), features ?? new[] { "A", "B", "C" }, new AnnMatrix(x));
        var xy = new DenseMatrix(4, 2);
        for (int i = 0; i < 4; i++)
        {
            xy[i, 0] = coords?[i, 0] ?? i;
            xy[i, 1] = coords?[i, 1] ?? 10 * i;
        }
        ad.Obsm["spatial"] = xy;
        ad.Obs["domain"] = AnnColumn.CategoricalFromLabels("domain", new[] { "a", "b", "a", "c" });
        return ad;
    }

    /// <summary>Writes a raw HDF5 file with obs/var indexes of the given sizes plus whatever <paramref name="fill"/> adds.</summary>
    public static string Raw(string dir, string name, int obs, int var, Action<H5File> fill)
    {
        var f = new H5File();
        f.Attributes["encoding-type"] = "anndata";
        f.Attributes["encoding-version"] = "0.1.0";
        f["obs"] = Frame(Enumerable.Range(0, obs).Select(i => "o" + i).ToArray());
        f["var"] = Frame(Enumerable.Range(0, var).Select(i => "v" + i).ToArray());
        fill(f);
        var path = Path.Combine(dir, name);
        f.Write(path);
        return path;
    }

    private static H5Group Frame(string[] index)
    {
        var g = new H5Group();
        g.Attributes["encoding-type"] = "dataframe";
        g.Attributes["encoding-version"] = "0.2.0";
        g.Attributes["_index"] = "_index";
        g.Attributes["column-order"] = Array.Empty<double>();
        g["_index"] = index;
        return g;
    }

    public static H5Group Csr(long[] shape, long[] indptr, int[] indices, float[] data)
    {
        var g = new H5Group();
        g.Attributes["encoding-type"] = "csr_matrix";
        g.Attributes["encoding-version"] = "0.1.0";
        g.Attributes["shape"] = shape;
        g["indptr"] = indptr;
        g["indices"] = indices;
        g["data"] = data;
        return g;
    }
}
