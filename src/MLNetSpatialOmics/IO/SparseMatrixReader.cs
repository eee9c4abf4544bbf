using MLNetSpatialOmics.Numerics;
using PureHDF;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Reads a scipy CSR/CSC group (<c>data</c>, <c>indices</c>, <c>indptr</c>, <c>shape</c>) into a <see cref="CsrMatrix"/>.
/// Order matters: the shape and <c>indptr</c> are validated before <c>data</c>/<c>indices</c> are allocated, so a
/// corrupt header cannot make the reader allocate gigabytes.
/// </summary>
internal static class SparseMatrixReader
{
    /// <summary>Below this many stored entries the second file handle costs more than it saves.</summary>
    private const long ParallelThreshold = 1 << 20;

    public static AnnMatrix Read(Hdf5Arrays io, IH5Group g, string path, bool csr, int rows, int cols)
    {
        var (shapeRows, shapeCols) = ReadShape(io, g, path);
        if (shapeRows != rows || shapeCols != cols)
            throw io.Error($"{path}", $"shape {shapeRows}×{shapeCols} does not match obs ({rows} names) × var ({cols} names).");
        int major = csr ? rows : cols, minor = csr ? cols : rows;

        var indptrDs = Dataset(io, g, path, "indptr");
        var dataDs = Dataset(io, g, path, "data");
        var indicesDs = Dataset(io, g, path, "indices");
        var ptrDims = io.Dims(indptrDs);
        if (ptrDims.Length != 1 || ptrDims[0] != (ulong)major + 1)
            throw io.Error($"{path}/indptr", $"has shape {string.Join("×", ptrDims)} but a {(csr ? "CSR" : "CSC")} matrix of shape {rows}×{cols} needs {major + 1} entries.");
        var dataDims = io.Dims(dataDs);
        var idxDims = io.Dims(indicesDs);
        if (dataDims.Length != 1 || idxDims.Length != 1 || dataDims[0] != idxDims[0])
            throw io.Error(path, $"data (shape {string.Join("×", dataDims)}) and indices (shape {string.Join("×", idxDims)}) must be 1-D of equal length.");
        io.CheckDeclaredSize(indptrDs, $"{path}/indptr");
        io.CheckDeclaredSize(dataDs, $"{path}/data");
        io.CheckDeclaredSize(indicesDs, $"{path}/indices");
        if (!Hdf5Arrays.IsNumeric(dataDs.Type))
            throw io.Error($"{path}/data", $"holds {Hdf5Arrays.TypeName(dataDs.Type)}; numbers were expected.");

        long nnz = (long)dataDims[0];
        var indptr = io.ReadInt64(indptrDs, $"{path}/indptr");
        if (indptr[0] != 0) throw io.Error($"{path}/indptr", $"must start at 0 but starts at {indptr[0]}.");
        for (int i = 0; i < major; i++)
            if (indptr[i + 1] < indptr[i])
                throw io.Error($"{path}/indptr", $"decreases at position {i + 1} ({indptr[i]} → {indptr[i + 1]}).");
        if (indptr[major] != nnz)
            throw io.Error($"{path}/indptr", $"ends at {indptr[major]} but data and indices have {nnz} entries.");

        var indices = new int[nnz];
        var values = new double[nnz];
        if (nnz < ParallelThreshold)
        {
            ReadIndices(io, indicesDs, $"{path}/indices", indices, minor);
            io.ReadDoublesInto(dataDs, $"{path}/data", 0, values);
        }
        else
        {
            // Decompressing dominates: inflate indices on a second file handle while this one inflates data.
            var indicesTask = Task.Run(() =>
            {
                using var second = io.OpenSecondHandle();
                var ds = io.Guard($"{path}/indices", () => second.Dataset($"{path}/indices"));
                ReadIndices(io, ds, $"{path}/indices", indices, minor);
            });
            try { io.ReadDoublesInto(dataDs, $"{path}/data", 0, values); }
            finally
            {
                try { indicesTask.Wait(); }
                catch (AggregateException) { } // observed below, unless the data read already failed
            }
            if (indicesTask.Exception is { } e) throw e.InnerException!;
        }

        CsrMatrix m = csr ? SortRows(io, path, rows, cols, indptr, indices, values) : Transpose(io, path, rows, cols, indptr, indices, values);
        return new AnnMatrix(m, csr ? "csr" : "csc", Hdf5Arrays.TypeName(dataDs.Type));
    }

    private static IH5Dataset Dataset(Hdf5Arrays io, IH5Group g, string path, string name)
    {
        if (!io.Guard($"{path}/{name}", () => g.LinkExists(name)))
            throw io.Error($"{path}/{name}", "missing: a sparse matrix group needs data, indices and indptr.");
        return io.Guard($"{path}/{name}", () => g.Dataset(name));
    }

    private static (int Rows, int Cols) ReadShape(Hdf5Arrays io, IH5Group g, string path)
    {
        string attr = io.Guard(path, () => g.AttributeExists("shape")) ? "shape"
            : io.Guard(path, () => g.AttributeExists("h5sparse_shape")) ? "h5sparse_shape"
            : throw io.Error(path, "has no 'shape' attribute; a sparse matrix group must declare its shape.");
        var a = io.Guard(path, () => g.Attribute(attr));
        if (a.Type.Class != H5DataTypeClass.FixedPoint)
            throw io.Error($"{path}@{attr}", $"holds {Hdf5Arrays.TypeName(a.Type)}; two integers were expected.");
        long[] shape = a.Type.Size == 8 && a.Type.FixedPoint.IsSigned ? io.Guard(path, () => a.Read<long[]>())
            : a.Type.Size == 8 ? io.Guard(path, () => a.Read<ulong[]>()).Select(v => v > long.MaxValue ? -1 : (long)v).ToArray()
            : a.Type.Size == 4 && a.Type.FixedPoint.IsSigned ? io.Guard(path, () => a.Read<int[]>()).Select(v => (long)v).ToArray()
            : a.Type.Size == 4 ? io.Guard(path, () => a.Read<uint[]>()).Select(v => (long)v).ToArray()
            : throw io.Error($"{path}@{attr}", $"holds {Hdf5Arrays.TypeName(a.Type)}; 32- or 64-bit integers were expected.");
        if (shape.Length != 2) throw io.Error($"{path}@{attr}", $"has {shape.Length} entries; a matrix shape has 2.");
        foreach (var d in shape)
            if (d < 0 || d > int.MaxValue)
                throw io.Error($"{path}@{attr}", $"declares shape {shape[0]}×{shape[1]}, outside 0..{int.MaxValue} per dimension; the file is corrupt or too large for this reader.");
        return ((int)shape[0], (int)shape[1]);
    }

    private static void ReadIndices(Hdf5Arrays io, IH5Dataset ds, string field, int[] dest, int bound)
    {
        var buf = new long[Math.Min(Hdf5Arrays.BlockElements, dest.Length)];
        for (long done = 0; done < dest.Length; done += buf.Length)
        {
            int n = (int)Math.Min(buf.Length, dest.Length - done);
            io.ReadInt64Into(ds, field, done, buf.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                long v = buf[i];
                if ((ulong)v >= (ulong)bound)
                    throw io.Error(field, $"entry {done + i} is {v}, outside 0..{bound - 1}.");
                dest[done + i] = (int)v;
            }
        }
    }

    /// <summary>scipy does not promise sorted indices within a row; our CSR does. Sort where needed, refuse duplicates.</summary>
    private static CsrMatrix SortRows(Hdf5Arrays io, string path, int rows, int cols, long[] indptr, int[] indices, double[] values)
    {
        for (int r = 0; r < rows; r++)
        {
            int s = (int)indptr[r], e = (int)indptr[r + 1];
            bool sorted = true;
            for (int p = s + 1; p < e; p++)
                if (indices[p] <= indices[p - 1]) { sorted = false; break; }
            if (sorted) continue;
            Array.Sort(indices, values, s, e - s);
            for (int p = s + 1; p < e; p++)
                if (indices[p] == indices[p - 1])
                    throw io.Error($"{path}/indices", $"row {r} stores column {indices[p]} twice (duplicate entries are not supported; call sum_duplicates() before saving).");
        }
        return new CsrMatrix(rows, cols, indptr, indices, values, validate: false);
    }

    /// <summary>CSC → CSR by counting sort; walking columns in order leaves each row's columns sorted.</summary>
    private static CsrMatrix Transpose(Hdf5Arrays io, string path, int rows, int cols, long[] colPtr, int[] rowIdx, double[] vals)
    {
        var rowPtr = new long[rows + 1];
        foreach (var r in rowIdx) rowPtr[r + 1]++;
        for (int r = 0; r < rows; r++) rowPtr[r + 1] += rowPtr[r];
        var next = (long[])rowPtr.Clone();
        var colIdx = new int[rowIdx.Length];
        var outVals = new double[vals.Length];
        for (int c = 0; c < cols; c++)
        {
            for (long p = colPtr[c]; p < colPtr[c + 1]; p++)
            {
                int r = rowIdx[p];
                long q = next[r]++;
                if (q > rowPtr[r] && colIdx[q - 1] == c)
                    throw io.Error($"{path}/indices", $"column {c} stores row {r} twice (duplicate entries are not supported; call sum_duplicates() before saving).");
                colIdx[q] = c;
                outVals[q] = vals[p];
            }
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, outVals, validate: false);
    }
}
