using MLNetSpatialOmics.IO;
using PureHDF;
using PureHDF.VOL.Native;

namespace MLNetSpatialOmics.Tests.IO;

/// <summary>Each kind of bad input gets an <see cref="H5adFormatException"/> naming the file and the field.</summary>
[TestClass]
public class H5adReaderErrorTests
{
    [ClassCleanup]
    public static void CleanUp() => IoTestFiles.CleanUp();

    private static H5adFormatException Fails(string path, string field, params string[] phrases)
    {
        var ex = Assert.ThrowsExactly<H5adFormatException>(() => H5adReader.Read(path));
        Assert.AreEqual(Path.GetFullPath(path), ex.FilePath);
        Assert.AreEqual(field, ex.Field, ex.Message);
        StringAssert.Contains(ex.Message, Path.GetFileName(path));
        foreach (var p in phrases) StringAssert.Contains(ex.Message, p);
        return ex;
    }

    [TestMethod]
    public void ATextFileIsNotHdf5()
    {
        var path = Path.Combine(IoTestFiles.TempDir(), "counts.h5ad");
        File.WriteAllText(path, "barcode,CD3\nAAAC,5\n");
        Fails(path, "", "not an HDF5 file", "\"barcode,\"");
        var empty = Path.Combine(IoTestFiles.TempDir(), "empty.h5ad");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Fails(empty, "", "not an HDF5 file", "empty file");
    }

    [TestMethod]
    public void ATruncatedFileIsReportedAsTruncated()
    {
        var dir = IoTestFiles.TempDir();
        var full = Path.Combine(dir, "full.h5ad");
        H5adWriter.Write(IoTestFiles.Small(), full);
        var bytes = File.ReadAllBytes(full);
        foreach (var keep in new[] { bytes.Length / 2, bytes.Length - 1, 600 })
        {
            var cut = Path.Combine(dir, $"cut{keep}.h5ad");
            File.WriteAllBytes(cut, bytes[..keep]);
            Fails(cut, "", "truncated", $"{bytes.Length} bytes", $"only {keep}");
        }
    }

    [TestMethod]
    public void ATruncatedRealFileIsReportedAsTruncated()
    {
        var src = SharedData.DataFile("hln_a1/adata_ADT.h5ad");
        var cut = Path.Combine(IoTestFiles.TempDir(), "adata_ADT.h5ad");
        var bytes = File.ReadAllBytes(src);
        File.WriteAllBytes(cut, bytes[..(bytes.Length * 3 / 4)]);
        Fails(cut, "", "truncated");
    }

    [TestMethod]
    public void LzfAndBloscCompressedDataNamesTheFilter()
    {
        // Written with h5py (compression='lzf'); blosc.h5ad is the same file with the filter id changed to 32001.
        Fails(IoTestFiles.Fixture("lzf.h5ad"), "X", "LZF (id 32000)", "gzip");
        Fails(IoTestFiles.Fixture("blosc.h5ad"), "X", "Blosc (id 32001)", "gzip");
    }

    [TestMethod]
    public void MissingXIsReported()
    {
        var path = IoTestFiles.Raw(IoTestFiles.TempDir(), "nox.h5ad", 3, 2, _ => { });
        Fails(path, "X", "missing");
    }

    [TestMethod]
    public void XShapeThatDisagreesWithObsOrVarIsReported()
    {
        var dir = IoTestFiles.TempDir();
        var dense = IoTestFiles.Raw(dir, "dense.h5ad", 3, 2, f => f["X"] = new H5Dataset(new float[8], fileDims: new ulong[] { 4, 2 }));
        Fails(dense, "X", "4×2", "obs (3 names)", "var (2 names)");
        var sparse = IoTestFiles.Raw(dir, "sparse.h5ad", 3, 2, f =>
            f["X"] = IoTestFiles.Csr(new long[] { 3, 5 }, new long[] { 0, 1, 1, 2 }, new[] { 0, 1 }, new float[] { 1, 2 }));
        Fails(sparse, "X", "3×5", "var (2 names)");
        var layer = IoTestFiles.Raw(dir, "layer.h5ad", 3, 2, f =>
        {
            f["X"] = new H5Dataset(new float[6], fileDims: new ulong[] { 3, 2 });
            f["layers"] = new H5Group { ["counts"] = new H5Dataset(new float[3], fileDims: new ulong[] { 3, 1 }) };
        });
        Fails(layer, "layers/counts", "3×1");
    }

    [TestMethod]
    public void InconsistentIndptrIsReportedBeforeDataIsRead()
    {
        var dir = IoTestFiles.TempDir();
        (string Name, long[] Indptr, int[] Indices, string Field, string Phrase)[] cases =
        {
            ("short.h5ad", new long[] { 0, 1, 2 }, new[] { 0, 1 }, "X/indptr", "needs 4 entries"),
            ("decreasing.h5ad", new long[] { 0, 2, 1, 2 }, new[] { 0, 1 }, "X/indptr", "decreases at position 2"),
            ("end.h5ad", new long[] { 0, 1, 1, 5 }, new[] { 0, 1 }, "X/indptr", "ends at 5 but data and indices have 2"),
            ("start.h5ad", new long[] { 1, 1, 1, 2 }, new[] { 0, 1 }, "X/indptr", "must start at 0"),
            ("index.h5ad", new long[] { 0, 1, 1, 2 }, new[] { 0, 7 }, "X/indices", "entry 1 is 7, outside 0..1"),
        };
        foreach (var c in cases)
        {
            var path = IoTestFiles.Raw(dir, c.Name, 3, 2, f =>
                f["X"] = IoTestFiles.Csr(new long[] { 3, 2 }, c.Indptr, c.Indices, new float[] { 1, 2 }));
            Fails(path, c.Field, c.Phrase);
        }
        var unequal = IoTestFiles.Raw(dir, "unequal.h5ad", 3, 2, f =>
            f["X"] = IoTestFiles.Csr(new long[] { 3, 2 }, new long[] { 0, 1, 1, 2 }, new[] { 0, 1, 1 }, new float[] { 1, 2 }));
        Fails(unequal, "X", "equal length");
    }

    [TestMethod]
    public void UnsortedRowsAreSortedAndDuplicatesRefused()
    {
        var dir = IoTestFiles.TempDir();
        var unsorted = IoTestFiles.Raw(dir, "unsorted.h5ad", 2, 3, f =>
            f["X"] = IoTestFiles.Csr(new long[] { 2, 3 }, new long[] { 0, 3, 3 }, new[] { 2, 0, 1 }, new float[] { 3, 1, 2 }));
        var m = H5adReader.Read(unsorted).X!.Sparse!;
        m.Validate();
        CollectionAssert.AreEqual(new[] { 1.0, 2, 3 }, m.Values);
        var dup = IoTestFiles.Raw(dir, "dup.h5ad", 2, 3, f =>
            f["X"] = IoTestFiles.Csr(new long[] { 2, 3 }, new long[] { 0, 2, 2 }, new[] { 1, 1 }, new float[] { 3, 1 }));
        Fails(dup, "X/indices", "row 0 stores column 1 twice");
    }

    [TestMethod]
    public void AbsurdDeclaredShapesAreRefusedBeforeAllocating()
    {
        var dir = IoTestFiles.TempDir();
        // 10^12 columns in a sparse shape attribute.
        var wide = IoTestFiles.Raw(dir, "wide.h5ad", 3, 2, f =>
            f["X"] = IoTestFiles.Csr(new long[] { 3, 1_000_000_000_000 }, new long[] { 0, 1, 1, 2 }, new[] { 0, 1 }, new float[] { 1, 2 }));
        Fails(wide, "X@shape", "1000000000000");

        // Chunked arrays declared huge but never written (h5py; HDF5 stores nothing for them, the files are ~13 KB).
        Fails(IoTestFiles.Fixture("absurd_csr.h5ad"), "X/data", "declared shape 1000000000", "larger than a");
        Fails(IoTestFiles.Fixture("absurd_obsm.h5ad"), "obsm/spatial", "declared shape 3×1000000000000", "more than can be read into memory");
        var ex = Assert.ThrowsExactly<H5adFormatException>(() => SpatialSectionCoordinates(IoTestFiles.Fixture("absurd_obsm.h5ad")));
        Assert.AreEqual("obsm/spatial", ex.Field);
    }

    private static object SpatialSectionCoordinates(string path) =>
        H5adReader.Read(path, new H5adReadOptions { Obsm = new[] { "spatial" } });

    [TestMethod]
    public void LargeCsrIsReadOnTwoHandlesAndStillValidated()
    {
        // Over 2^20 stored entries: indices are inflated on a second file handle in parallel with data.
        const int rows = 1100, cols = 1000;
        var indptr = new long[rows + 1];
        var indices = new int[rows * cols];
        var data = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            indptr[r + 1] = (r + 1L) * cols;
            for (int c = 0; c < cols; c++) { indices[r * cols + c] = c; data[r * cols + c] = r * 7 + c; }
        }
        var dir = IoTestFiles.TempDir();
        var good = IoTestFiles.Raw(dir, "large.h5ad", rows, cols, f => f["X"] = IoTestFiles.Csr(new long[] { rows, cols }, indptr, indices, data));
        var m = H5adReader.Read(good).X!.Sparse!;
        Assert.AreEqual((long)rows * cols, m.NonZeroCount);
        Assert.AreEqual(1099.0 * 7 + 999, m.Get(1099, 999));
        Assert.AreEqual(500.0 * 7 + 3, m.Get(500, 3));

        indices[rows * cols - 5] = cols + 3;
        var bad = IoTestFiles.Raw(dir, "large-bad.h5ad", rows, cols, f => f["X"] = IoTestFiles.Csr(new long[] { rows, cols }, indptr, indices, data));
        Fails(bad, "X/indices", $"entry {rows * cols - 5} is {cols + 3}");
    }

    [TestMethod]
    public void ObsColumnOfTheWrongLengthIsReported()
    {
        var path = IoTestFiles.Raw(IoTestFiles.TempDir(), "col.h5ad", 3, 2, f =>
        {
            f["X"] = new H5Dataset(new float[6], fileDims: new ulong[] { 3, 2 });
            ((H5Group)f["obs"])["size"] = new long[] { 1, 2 };
        });
        Fails(path, "obs/size", "has 2 values but obs has 3 rows");
    }

    [TestMethod]
    public void ACategoricalCodeOutsideItsCategoriesIsReported()
    {
        var path = IoTestFiles.Raw(IoTestFiles.TempDir(), "cat.h5ad", 3, 2, f =>
        {
            f["X"] = new H5Dataset(new float[6], fileDims: new ulong[] { 3, 2 });
            var cat = new H5Group { ["codes"] = new sbyte[] { 0, 1, 5 }, ["categories"] = new[] { "a", "b" } };
            cat.Attributes["encoding-type"] = "categorical";
            ((H5Group)f["obs"])["label"] = cat;
        });
        Fails(path, "obs/label/codes", "row 2 has code 5", "2 categories");
    }

    [TestMethod]
    public void AMissingFileIsFileNotFound()
    {
        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => H5adReader.Read("/nonexistent/adata.h5ad"));
        StringAssert.Contains(ex.Message, "/nonexistent/adata.h5ad");
    }
}
