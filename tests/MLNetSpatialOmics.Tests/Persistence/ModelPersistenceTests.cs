using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Tests.Persistence;

[TestClass]
public class ModelPersistenceTests
{
    private static IDataView MakeInput(MLContext ml, int rows = 7, int width = 3)
    {
        var values = new float[rows * width];
        for (int i = 0; i < values.Length; i++) values[i] = i * 0.5f - 3;
        return new InMemoryDataView(new[]
        {
            InMemoryColumn.Text("SpotId", Enumerable.Range(0, rows).Select(i => $"s{i}").ToArray()),
            InMemoryColumn.Vector("Features", values, width, new[] { "a", "b", "c" }),
        });
    }

    private static OffsetTransformer MakeTransformer(string output = "Shifted")
    {
        // 20k doubles = 160 KB: large enough to go into its own zip entry.
        var big = new DenseMatrix(100, 200);
        for (int i = 0; i < big.Data.Length; i++) big.Data[i] = Math.Sin(i);
        return new OffsetTransformer("Features", output, new[] { 1.0, -2.0, 0.25 }, big);
    }

    private static string TempPath(string name) => Path.Combine(Path.GetTempPath(), $"mlnso-{Guid.NewGuid():N}-{name}");

    [TestMethod]
    public void SavedTransformerReloadsInAFreshContextWithIdenticalOutput()
    {
        var ml = new MLContext(seed: 1);
        var input = MakeInput(ml);
        var t = MakeTransformer();
        var before = DataViewReader.ReadVectorColumn(t.Transform(input), "Shifted");
        var path = TempPath("model.zip");
        try
        {
            ml.Model.Save(t, input.Schema, path);
            using (var zip = ZipFile.OpenRead(path))
            {
                var names = zip.Entries.Select(e => e.FullName).ToList();
                Assert.IsTrue(names.Any(n => n.EndsWith("State.bin")), string.Join(", ", names));
                Assert.IsTrue(names.Any(n => n.EndsWith("Tensor0000.bin")), "large arrays should get their own entry: " + string.Join(", ", names));
            }

            var fresh = new MLContext(seed: 2);
            var loaded = ModelPersistence.Load(fresh, path, out var schema);
            Assert.IsNotNull(schema.GetColumnOrNull("Features"));
            var after = DataViewReader.ReadVectorColumn(loaded.Transform(MakeInput(fresh)), "Shifted");
            CollectionAssert.AreEqual(before.Data, after.Data);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void ChainsOfLibraryTransformersRoundTripThroughMlNetsOwnLoad()
    {
        var ml = new MLContext(seed: 1);
        var input = MakeInput(ml);
        var chain = new TransformerChain<ITransformer>(MakeTransformer("A"), MakeTransformer("B"));
        var before = DataViewReader.ReadVectorColumn(chain.Transform(input), "B");
        var path = TempPath("chain.zip");
        try
        {
            ml.Model.Save(chain, input.Schema, path);
            var fresh = new MLContext();
            ModelPersistence.Register(fresh);
            var loaded = fresh.Model.Load(path, out _);
            var after = DataViewReader.ReadVectorColumn(loaded.Transform(MakeInput(fresh)), "B");
            CollectionAssert.AreEqual(before.Data, after.Data);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void TruncatedZipGivesAClearErrorNamingTheFile()
    {
        var ml = new MLContext();
        var path = TempPath("trunc.zip");
        try
        {
            ml.Model.Save(MakeTransformer(), MakeInput(ml).Schema, path);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => ModelPersistence.Load(new MLContext(), path, out _));
            StringAssert.Contains(ex.Message, path);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void CorruptedStateEntryIsReportedAsCorrupted()
    {
        var ml = new MLContext();
        var path = TempPath("corrupt.zip");
        try
        {
            ml.Model.Save(MakeTransformer(), MakeInput(ml).Schema, path);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = zip.Entries.Single(e => e.FullName.EndsWith("State.bin"));
                string name = entry.FullName;
                entry.Delete();
                using var s = zip.CreateEntry(name).Open();
                s.Write(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 });
            }
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => ModelPersistence.Load(new MLContext(), path, out _));
            StringAssert.Contains(ex.Message, path);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void AZipFromAnotherLibraryIsRefusedClearly()
    {
        var path = TempPath("other.zip");
        try
        {
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            using (var w = new StreamWriter(zip.CreateEntry("model.json").Open()))
                w.Write("{\"framework\": \"something else\"}");
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => ModelPersistence.Load(new MLContext(), path, out _));
            StringAssert.Contains(ex.Message, path);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void NotAZipAtAllIsRefusedClearly()
    {
        var path = TempPath("junk.zip");
        try
        {
            File.WriteAllText(path, "this is not a zip");
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => ModelPersistence.Load(new MLContext(), path, out _));
            StringAssert.Contains(ex.Message, path);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void AModelFromANewerFormatIsRefusedWithVersions()
    {
        var ml = new MLContext();
        var path = TempPath("newer.zip");
        try
        {
            ml.Model.Save(MakeTransformer(), MakeInput(ml).Schema, path);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = zip.Entries.Single(e => e.FullName.EndsWith("Model.key"));
                byte[] bytes;
                using (var ms = new MemoryStream()) { using (var s = entry.Open()) s.CopyTo(ms); bytes = ms.ToArray(); }
                // Our header: length-prefixed magic, then the Int32 format version.
                var magic = new byte[] { 17 }.Concat(System.Text.Encoding.UTF8.GetBytes("MLNetSpatialOmics")).ToArray();
                int at = bytes.AsSpan().IndexOf(magic) + magic.Length;
                Assert.AreEqual(ModelPersistence.FormatVersion, BitConverter.ToInt32(bytes, at));
                BitConverter.GetBytes(ModelPersistence.FormatVersion + 1).CopyTo(bytes, at);
                string name = entry.FullName;
                entry.Delete();
                using var o = zip.CreateEntry(name).Open();
                o.Write(bytes);
            }
            var ex = Assert.ThrowsExactly<ModelFormatException>(() => ModelPersistence.Load(new MLContext(), path, out _));
            StringAssert.Contains(ex.Message, $"format {ModelPersistence.FormatVersion + 1}");
            StringAssert.Contains(ex.Message, "Upgrade");
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void StateRoundTripsEveryValueKind()
    {
        var w = new ModelStateWriter();
        w.Write("i", 42);
        w.Write("l", long.MaxValue);
        w.Write("d", Math.PI);
        w.Write("b", true);
        w.Write("s", "héllo");
        w.Write("n", (string?)null);
        w.Write("da", new[] { 1.5, double.NaN });
        w.Write("fa", new[] { 1.5f });
        w.Write("ia", new[] { -1, 7 });
        w.Write("la", new[] { 3L });
        w.Write("sa", new[] { "x", "" });
        w.Write("csr", new CsrMatrix(2, 3, new long[] { 0, 1, 2 }, new[] { 2, 0 }, new[] { 5.0, 6.0 }));
        w.Child("c").Write("x", 1);
        var r = ModelStateReader.FromBytes(w.ToBytes());
        Assert.AreEqual(42, r.GetInt32("i"));
        Assert.AreEqual(long.MaxValue, r.GetInt64("l"));
        Assert.AreEqual(Math.PI, r.GetDouble("d"));
        Assert.IsTrue(r.GetBool("b"));
        Assert.AreEqual("héllo", r.GetString("s"));
        Assert.IsNull(r.GetString("n"));
        Assert.IsTrue(double.IsNaN(r.GetDoubleArray("da")[1]));
        Assert.AreEqual(1.5f, r.GetSingleArray("fa")[0]);
        CollectionAssert.AreEqual(new[] { -1, 7 }, r.GetInt32Array("ia"));
        CollectionAssert.AreEqual(new[] { 3L }, r.GetInt64Array("la"));
        CollectionAssert.AreEqual(new[] { "x", "" }, r.GetStringArray("sa"));
        Assert.AreEqual(6.0, r.GetCsr("csr").Get(1, 0));
        Assert.AreEqual(1, r.GetChild("c").GetInt32("x"));
        var missing = Assert.ThrowsExactly<InvalidDataException>(() => r.GetInt32("nope"));
        StringAssert.Contains(missing.Message, "nope");
        Assert.ThrowsExactly<InvalidDataException>(() => r.GetDouble("i"));
    }

    [TestMethod]
    public void TruncatedStateBytesAreRejectedBeforeAllocating()
    {
        var w = new ModelStateWriter();
        w.Write("big", new double[1000]);
        var bytes = w.ToBytes();
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => ModelStateReader.FromBytes(bytes[..100]));
        StringAssert.Contains(ex.Message, "truncated");
    }
}
