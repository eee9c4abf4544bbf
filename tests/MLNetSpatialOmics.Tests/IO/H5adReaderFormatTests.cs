using MLNetSpatialOmics.IO;
using PureHDF;

namespace MLNetSpatialOmics.Tests.IO;

/// <summary>Encodings the shared files don't cover: CSC, integer matrices, nullable columns, uns types.</summary>
[TestClass]
public class H5adReaderFormatTests
{
    [ClassCleanup]
    public static void CleanUp() => IoTestFiles.CleanUp();

    // The 3×4 matrix used below:  [[0, 5, 0, 1], [2, 0, 0, 0], [0, 3, 4, 0]]
    private static readonly double[] Expected = { 0, 5, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0 };

    [TestMethod]
    public void CscIsConvertedToSortedCsr()
    {
        var path = IoTestFiles.Raw(IoTestFiles.TempDir(), "csc.h5ad", 3, 4, f =>
        {
            var g = IoTestFiles.Csr(new long[] { 3, 4 }, new long[] { 0, 1, 3, 4, 5 }, new[] { 1, 2, 0, 2, 0 }, new float[] { 2, 3, 5, 4, 1 });
            g.Attributes["encoding-type"] = "csc_matrix";
            f["X"] = g;
        });
        var x = H5adReader.Read(path).X!;
        Assert.AreEqual("csc", x.StorageFormat);
        x.Sparse!.Validate();
        CollectionAssert.AreEqual(Expected, x.ToDense().Data);
    }

    [TestMethod]
    public void IntegerMatricesOfEveryWidthReadAsDoubles()
    {
        var dir = IoTestFiles.TempDir();
        var cases = new (string Name, Array Data)[]
        {
            ("int8", Expected.Select(v => (sbyte)v).ToArray()), ("uint8", Expected.Select(v => (byte)v).ToArray()),
            ("int16", Expected.Select(v => (short)v).ToArray()), ("uint16", Expected.Select(v => (ushort)v).ToArray()),
            ("int32", Expected.Select(v => (int)v).ToArray()), ("uint32", Expected.Select(v => (uint)v).ToArray()),
            ("int64", Expected.Select(v => (long)v).ToArray()), ("uint64", Expected.Select(v => (ulong)v).ToArray()),
            ("float64", Expected.ToArray()),
        };
        foreach (var (name, data) in cases)
        {
            var path = IoTestFiles.Raw(dir, name + ".h5ad", 3, 4, f => f["X"] = new H5Dataset(data, fileDims: new ulong[] { 3, 4 }));
            var x = H5adReader.Read(path).X!;
            Assert.AreEqual(name, x.ElementType);
            CollectionAssert.AreEqual(Expected, x.Dense!.Data, name);
        }
        // int64 CSR data with int64 indices.
        var csr = IoTestFiles.Raw(dir, "csr64.h5ad", 3, 4, f =>
        {
            var g = IoTestFiles.Csr(new long[] { 3, 4 }, new long[] { 0, 2, 3, 5 }, new int[0], new float[0]);
            g["indices"] = new long[] { 1, 3, 0, 1, 2 };
            g["data"] = new long[] { 5, 1, 2, 3, 4 };
            f["X"] = g;
        });
        var m = H5adReader.Read(csr).X!;
        Assert.AreEqual("int64", m.ElementType);
        CollectionAssert.AreEqual(Expected, m.ToDense().Data);
    }

    [TestMethod]
    public void NullableColumnsAndNestedUnsAreRead()
    {
        var path = IoTestFiles.Raw(IoTestFiles.TempDir(), "nullable.h5ad", 3, 4, f =>
        {
            f["X"] = new H5Dataset(Expected.ToArray(), fileDims: new ulong[] { 3, 4 });
            var ni = new H5Group { ["values"] = new long[] { 7, 0, 9 }, ["mask"] = new byte[] { 0, 1, 0 } };
            ni.Attributes["encoding-type"] = "nullable-integer";
            var nb = new H5Group { ["values"] = new byte[] { 1, 0, 1 }, ["mask"] = new byte[] { 0, 0, 0 } };
            nb.Attributes["encoding-type"] = "nullable-boolean";
            var obs = (H5Group)f["obs"];
            obs["count"] = ni;
            obs["ok"] = nb;
            var inner = new H5Group { ["k"] = 20L, ["metric"] = "correlation" };
            f["uns"] = new H5Group { ["inner"] = inner, ["pi"] = 3.25, ["vector"] = new double[] { 1, 2 } };
        });
        var ad = H5adReader.Read(path);
        var count = ad.Obs["count"];
        Assert.AreEqual(7.0, count.Numbers![0]);
        Assert.IsTrue(double.IsNaN(count.Numbers[1]));
        CollectionAssert.AreEqual(new[] { "7", null, "9" }, count.ToStrings());
        CollectionAssert.AreEqual(new[] { true, false, true }, ad.Obs["ok"].Booleans);
        Assert.AreEqual(20L, ad.Uns["inner/k"]);
        Assert.AreEqual("correlation", ad.Uns["inner/metric"]);
        Assert.AreEqual(3.25, ad.Uns["pi"]);
        Assert.IsTrue(ad.Skipped.Any(s => s.StartsWith("uns/vector", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ReadOptionsLeaveOutWhatIsNotAskedFor()
    {
        var dir = IoTestFiles.TempDir();
        var path = Path.Combine(dir, "a.h5ad");
        var ad = IoTestFiles.Small();
        ad.Layers["counts"] = ad.X!;
        H5adWriter.Write(ad, path);
        var part = H5adReader.Read(path, H5adReadOptions.ForSection("counts"));
        Assert.IsNull(part.X);
        Assert.AreEqual(1, part.Layers.Count);
        Assert.AreEqual(0, part.Var.Count);
        Assert.IsTrue(part.Obsm.ContainsKey("spatial"));
        var ex = Assert.ThrowsExactly<H5adFormatException>(() => H5adReader.Read(path, new H5adReadOptions { Layers = new[] { "spliced" } }));
        Assert.AreEqual("layers/spliced", ex.Field);
        StringAssert.Contains(ex.Message, "layers: counts");
    }
}
