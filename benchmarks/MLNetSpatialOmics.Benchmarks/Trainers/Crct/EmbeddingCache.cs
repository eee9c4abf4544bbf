using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Crct;

/// <summary>
/// A trained embedding on disk (int32 rows, int32 cols, then row-major float64), so that head experiments can re-read
/// the embeddings of many seeds instead of retraining them. Written whole to a temporary file and then renamed.
/// </summary>
internal static class EmbeddingCache
{
    public static DenseMatrix Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"{path}: not an embedding cache file (shorter than its 8-byte header).");
        int rows = BitConverter.ToInt32(bytes, 0), cols = BitConverter.ToInt32(bytes, 4);
        if (rows < 0 || cols < 0 || bytes.Length != 8 + 8L * rows * cols)
            throw new InvalidDataException($"{path}: header says {rows}x{cols} but the file holds {bytes.Length} bytes.");
        var m = new DenseMatrix(rows, cols);
        for (int i = 0; i < rows * cols; i++) m.Data[i] = BitConverter.ToDouble(bytes, 8 + 8 * i);
        return m;
    }

    public static void Write(string path, DenseMatrix x)
    {
        var output = new byte[8 + 8L * x.Rows * x.Cols];
        BitConverter.TryWriteBytes(output.AsSpan(0), x.Rows);
        BitConverter.TryWriteBytes(output.AsSpan(4), x.Cols);
        for (int i = 0; i < x.Rows * x.Cols; i++) BitConverter.TryWriteBytes(output.AsSpan(8 + 8 * i), x.Data[i]);
        File.WriteAllBytes(path + ".tmp", output);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
