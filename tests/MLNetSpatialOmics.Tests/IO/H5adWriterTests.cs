using MLNetSpatialOmics.IO;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.IO;

[TestClass]
public class H5adWriterTests
{
    [ClassCleanup]
    public static void CleanUp() => IoTestFiles.CleanUp();

    [TestMethod]
    public void WriteThenReadGivesBackEveryPart()
    {
        var dir = IoTestFiles.TempDir();
        var ad = IoTestFiles.Small();
        ad.Layers["dense"] = new AnnMatrix(ad.X!.ToDense());
        ad.Obs["n"] = AnnColumn.Numeric("n", new double[] { 1, 2, 3, 4 }, isIntegral: true);
        ad.Obs["score"] = AnnColumn.Numeric("score", new[] { 0.5, double.NaN, -1.25, 1e-3 });
        ad.Obs["flag"] = AnnColumn.Boolean("flag", new[] { true, false, false, true });
        ad.Obs["note"] = AnnColumn.Text("note", new[] { "x", "", "z", "w" });
        ad.Var["kind"] = AnnColumn.Text("kind", new[] { "p", "q", "r" });
        var emb = new DenseMatrix(4, 3);
        for (int i = 0; i < emb.Data.Length; i++) emb.Data[i] = Math.Sqrt(i) - 1;
        ad.Obsm["Embedding"] = emb;
        ad.Uns["method"] = "CRCT";
        ad.Uns["seed"] = 2020L;
        ad.Uns["ari"] = 0.875;
        ad.Uns["converged"] = true;
        ad.Uns["graph/k"] = 3L;
        var path = Path.Combine(dir, "result.h5ad");
        H5adWriter.Write(ad, path, new H5adWriteOptions { SinglePrecision = false });

        var back = H5adReader.Read(path);
        CollectionAssert.AreEqual(ad.ObsNames, back.ObsNames);
        CollectionAssert.AreEqual(ad.VarNames, back.VarNames);
        Assert.IsTrue(back.X!.IsSparse);
        CollectionAssert.AreEqual(ad.X.Sparse!.RowPtr, back.X.Sparse!.RowPtr);
        CollectionAssert.AreEqual(ad.X.Sparse.ColIndices, back.X.Sparse.ColIndices);
        CollectionAssert.AreEqual(ad.X.Sparse.Values, back.X.Sparse.Values);
        CollectionAssert.AreEqual(ad.Layers["dense"].Dense!.Data, back.Layers["dense"].Dense!.Data);
        CollectionAssert.AreEqual(ad.Obs.Keys.ToArray(), back.Obs.Keys.ToArray());
        CollectionAssert.AreEqual(ad.Obs["domain"].Categories, back.Obs["domain"].Categories);
        CollectionAssert.AreEqual(ad.Obs["domain"].Codes, back.Obs["domain"].Codes);
        CollectionAssert.AreEqual(ad.Obs["n"].Numbers, back.Obs["n"].Numbers);
        Assert.IsTrue(back.Obs["n"].IsIntegral);
        CollectionAssert.AreEqual(ad.Obs["score"].Numbers, back.Obs["score"].Numbers);
        Assert.AreEqual(AnnColumnKind.Boolean, back.Obs["flag"].Kind);
        CollectionAssert.AreEqual(ad.Obs["flag"].Booleans, back.Obs["flag"].Booleans);
        CollectionAssert.AreEqual(ad.Obs["note"].Strings, back.Obs["note"].Strings);
        CollectionAssert.AreEqual(ad.Var["kind"].Strings, back.Var["kind"].Strings);
        CollectionAssert.AreEqual(emb.Data, back.Obsm["Embedding"].Data);
        CollectionAssert.AreEqual(ad.Obsm["spatial"].Data, back.Obsm["spatial"].Data);
        foreach (var (k, v) in ad.Uns) Assert.AreEqual(v, back.Uns[k], k);
        Assert.AreEqual(0, back.Skipped.Count, string.Join("; ", back.Skipped));
    }

    [TestMethod]
    public void SinglePrecisionRoundsValuesToFloat()
    {
        var dir = IoTestFiles.TempDir();
        var ad = new AnnData(new[] { "a" }, new[] { "f" }, new AnnMatrix(new DenseMatrix(1, 1, new[] { 0.1 })));
        var path = Path.Combine(dir, "f.h5ad");
        H5adWriter.Write(ad, path);
        var back = H5adReader.Read(path);
        Assert.AreEqual("float32", back.X!.ElementType);
        Assert.AreEqual((double)0.1f, back.X.Get(0, 0));
    }

    [TestMethod]
    public void ResultsWithoutXAreWrittenAndReadWhenXIsNotRequired()
    {
        var dir = IoTestFiles.TempDir();
        var ad = new AnnData(new[] { "a", "b" }, new[] { "g1", "g2", "g3" });
        ad.Obs["PredictedLabel"] = AnnColumn.CategoricalFromLabels("PredictedLabel", new[] { "1", "2" });
        var path = Path.Combine(dir, "nox.h5ad");
        H5adWriter.Write(ad, path);
        var back = H5adReader.Read(path, new H5adReadOptions { RequireX = false });
        Assert.IsNull(back.X);
        Assert.AreEqual(3, back.VarCount);
        CollectionAssert.AreEqual(new[] { "1", "2" }, back.Obs["PredictedLabel"].ToStrings());
        var ex = Assert.ThrowsExactly<H5adFormatException>(() => H5adReader.Read(path));
        Assert.AreEqual("X", ex.Field);
    }

    [TestMethod]
    public void ArraysAreGzipCompressedByDefault()
    {
        var dir = IoTestFiles.TempDir();
        var m = new DenseMatrix(2000, 50); // all zeros: compresses to almost nothing
        var ad = new AnnData(Enumerable.Range(0, 2000).Select(i => "c" + i).ToArray(), Enumerable.Range(0, 50).Select(i => "g" + i).ToArray(), new AnnMatrix(m));
        string gz = Path.Combine(dir, "gz.h5ad"), raw = Path.Combine(dir, "raw.h5ad");
        H5adWriter.Write(ad, gz);
        H5adWriter.Write(ad, raw, new H5adWriteOptions { Compress = false });
        long gzLen = new FileInfo(gz).Length, rawLen = new FileInfo(raw).Length;
        Assert.IsTrue(rawLen > 2000 * 50 * 4, $"uncompressed file {rawLen} bytes holds the float32 matrix");
        Assert.IsTrue(gzLen < rawLen / 4, $"gzip file {gzLen} bytes vs {rawLen}");
        Assert.AreEqual(0.0, H5adReader.Read(gz).X!.Dense!.Data.Max());
    }

    [TestMethod]
    public void AFailedWriteLeavesNoFileBehindAndKeepsTheOldOne()
    {
        var dir = IoTestFiles.TempDir();
        var path = Path.Combine(dir, "out.h5ad");
        File.WriteAllText(path, "previous contents");
        var bad = IoTestFiles.Small();
        bad.Uns["weights"] = new double[] { 1, 2 }; // not a scalar: refused
        var ex = Assert.ThrowsExactly<ArgumentException>(() => H5adWriter.Write(bad, path));
        StringAssert.Contains(ex.Message, "uns/weights");
        Assert.AreEqual("previous contents", File.ReadAllText(path));

        // A failure after the data was written (the target is a folder, so the final rename fails).
        var folder = Path.Combine(dir, "taken.h5ad");
        Directory.CreateDirectory(folder);
        Assert.ThrowsExactly<IOException>(() => H5adWriter.Write(IoTestFiles.Small(), folder));
        CollectionAssert.AreEquivalent(new[] { "out.h5ad", "taken.h5ad" }, Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToArray(),
            "no temporary file is left");
    }

    [TestMethod]
    public void AnndataReadsWhatWeWrite()
    {
        // Checked once by hand with Debian's python3-anndata 0.8 (the committed fixture records what it printed).
        var text = File.ReadAllText(IoTestFiles.Fixture("anndata_readback.txt"));
        StringAssert.Contains(text, "AnnData object with n_obs × n_vars = 3484 × 31");
        StringAssert.Contains(text, "obs: 'lab_lynn', 'n_counts', 'score', 'flag', 'note'");
        StringAssert.Contains(text, "'flag': dtype('bool')");
        StringAssert.Contains(text, "'params': {'k': 3}");
        StringAssert.Contains(text, "scipy.sparse._csr.csr_matrix");

        // Where python3-anndata is installed (as here), check again live on a fresh file.
        if (!File.Exists("/usr/bin/python3")) return;
        var dir = IoTestFiles.TempDir();
        var ad = IoTestFiles.Small();
        ad.Obs["flag"] = AnnColumn.Boolean("flag", new[] { true, false, true, true });
        ad.Obs["n"] = AnnColumn.Numeric("n", new double[] { 1, 2, 3, 4 }, isIntegral: true);
        ad.Uns["method"] = "CRCT";
        ad.Uns["graph/k"] = 3L;
        var path = Path.Combine(dir, "live.h5ad");
        H5adWriter.Write(ad, path);
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sys\ntry:\n import anndata\nexcept ImportError:\n print('NO-ANNDATA'); sys.exit(0)\n" +
            "a = anndata.read_h5ad(sys.argv[1])\nprint(a.shape, list(a.obs.columns), str(a.obs['domain'].dtype), str(a.obs['flag'].dtype), " +
            "str(a.obs['n'].dtype), a.X.nnz, a.X.toarray().sum(), a.obsm['spatial'].shape, a.uns['method'], a.uns['graph']['k'], list(a.obs_names))");
        psi.ArgumentList.Add(path);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        Assert.IsTrue(p.WaitForExit(120_000), "python timed out");
        if (stdout.Contains("NO-ANNDATA", StringComparison.Ordinal)) return;
        Assert.AreEqual(0, p.ExitCode, stderr);
        Assert.AreEqual("(4, 3) ['domain', 'flag', 'n'] category bool int64 5 15.0 (4, 2) CRCT 3 ['s0', 's1', 's2', 's3']", stdout.Trim());
    }
}
