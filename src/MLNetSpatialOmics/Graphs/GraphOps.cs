using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Graphs;

/// <summary>How <see cref="GraphOps.Symmetrize"/> combines a_ij and a_ji (an absent entry counts as 0).</summary>
public enum SymmetrizeMode
{
    /// <summary>1 wherever a_ij or a_ji is stored: PRAGA's <c>A + Aᵀ</c> clipped to 1 for a binary kNN graph.</summary>
    Binary,
    /// <summary>max(a_ij, a_ji).</summary>
    Max,
    /// <summary>(a_ij + a_ji) / 2.</summary>
    Mean,
    /// <summary>a_ij + a_ji.</summary>
    Sum,
}

/// <summary>
/// Sparse graph operations on square <see cref="CsrMatrix"/> adjacency matrices. Everything is O(nnz); nothing
/// allocates N×N. Degrees are row sums; normalisations use them as vectors, never as dense diagonal matrices.
/// </summary>
public static class GraphOps
{
    /// <summary>
    /// PRAGA's graph recipe (used by every trainer): binary kNN graph → A + Aᵀ clipped to 1 → + I →
    /// D^-½ (A + I) D^-½, with D the degrees of A + I.
    /// </summary>
    public static CsrMatrix PragaNormalizedAdjacency(NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        var a = Symmetrize(neighbors.ToCsr(EdgeWeighting.Binary), SymmetrizeMode.Binary);
        return SymmetricNormalize(AddSelfLoops(a, 1.0));
    }

    public static CsrMatrix Transpose(CsrMatrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var rowPtr = new long[a.Cols + 1];
        long nnz = a.NonZeroCount;
        for (long p = 0; p < nnz; p++) rowPtr[a.ColIndices[p] + 1]++;
        for (int c = 0; c < a.Cols; c++) rowPtr[c + 1] += rowPtr[c];
        var fill = (long[])rowPtr.Clone();
        var cols = new int[nnz];
        var vals = new double[nnz];
        // Rows in ascending order, so each transposed row comes out sorted.
        for (int i = 0; i < a.Rows; i++)
            for (long p = a.RowPtr[i]; p < a.RowPtr[i + 1]; p++)
            {
                long q = fill[a.ColIndices[p]]++;
                cols[q] = i;
                vals[q] = a.Values[p];
            }
        return new CsrMatrix(a.Cols, a.Rows, rowPtr, cols, vals, validate: false);
    }

    /// <summary>A symmetric graph on the union of the supports of A and Aᵀ.</summary>
    public static CsrMatrix Symmetrize(CsrMatrix a, SymmetrizeMode mode = SymmetrizeMode.Binary)
    {
        RequireSquare(a, nameof(a));
        var t = Transpose(a);
        return Merge(a, t, (x, y) => mode switch
        {
            SymmetrizeMode.Binary => 1.0,
            SymmetrizeMode.Max => Math.Max(x, y),
            SymmetrizeMode.Mean => 0.5 * (x + y),
            SymmetrizeMode.Sum => x + y,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown symmetrisation mode."),
        });
    }

    /// <summary>A + value·I (self-loops; an existing diagonal entry is increased).</summary>
    public static CsrMatrix AddSelfLoops(CsrMatrix a, double value = 1.0)
    {
        RequireSquare(a, nameof(a));
        var rowPtr = new long[a.Rows + 1];
        for (int i = 0; i < a.Rows; i++)
            rowPtr[i + 1] = rowPtr[i] + a.RowLength(i) + (a.RowIndices(i).BinarySearch(i) >= 0 ? 0 : 1);
        var cols = new int[rowPtr[a.Rows]];
        var vals = new double[rowPtr[a.Rows]];
        for (int i = 0; i < a.Rows; i++)
        {
            var idx = a.RowIndices(i);
            var val = a.RowValues(i);
            long q = rowPtr[i];
            bool done = false;
            for (int p = 0; p < idx.Length; p++)
            {
                if (!done && idx[p] >= i)
                {
                    done = true;
                    if (idx[p] == i) { cols[q] = i; vals[q++] = val[p] + value; continue; }
                    cols[q] = i; vals[q++] = value;
                }
                cols[q] = idx[p]; vals[q++] = val[p];
            }
            if (!done) { cols[q] = i; vals[q] = value; }
        }
        return new CsrMatrix(a.Rows, a.Cols, rowPtr, cols, vals, validate: false);
    }

    /// <summary>Row sums (weighted out-degrees); for a symmetric graph these are the degrees.</summary>
    public static double[] Degrees(CsrMatrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var d = new double[a.Rows];
        for (int i = 0; i < a.Rows; i++)
        {
            double s = 0;
            foreach (var v in a.RowValues(i)) s += v;
            d[i] = s;
        }
        return d;
    }

    /// <summary>D^-½ A D^-½ with D = <see cref="Degrees"/>(A). A row/column of zero degree stays zero.</summary>
    public static CsrMatrix SymmetricNormalize(CsrMatrix a) => SymmetricNormalize(a, Degrees(a));

    /// <summary>D^-½ A D^-½ for a given degree vector (e.g. degrees of another graph, or precomputed).</summary>
    public static CsrMatrix SymmetricNormalize(CsrMatrix a, double[] degrees)
    {
        RequireSquare(a, nameof(a));
        CheckDegrees(a, degrees);
        var s = degrees.Select(d => d > 0 ? 1.0 / Math.Sqrt(d) : 0.0).ToArray();
        var vals = new double[a.NonZeroCount];
        for (int i = 0; i < a.Rows; i++)
            for (long p = a.RowPtr[i]; p < a.RowPtr[i + 1]; p++)
                vals[p] = s[i] * a.Values[p] * s[a.ColIndices[p]];
        return new CsrMatrix(a.Rows, a.Cols, a.RowPtr, a.ColIndices, vals, validate: false);
    }

    /// <summary>D^-1 A (each row sums to 1). A row of zero degree stays zero.</summary>
    public static CsrMatrix RowNormalize(CsrMatrix a) => RowNormalize(a, Degrees(a));

    public static CsrMatrix RowNormalize(CsrMatrix a, double[] degrees)
    {
        ArgumentNullException.ThrowIfNull(a);
        CheckDegrees(a, degrees);
        var vals = new double[a.NonZeroCount];
        for (int i = 0; i < a.Rows; i++)
        {
            double inv = degrees[i] != 0 ? 1.0 / degrees[i] : 0.0;
            for (long p = a.RowPtr[i]; p < a.RowPtr[i + 1]; p++) vals[p] = a.Values[p] * inv;
        }
        return new CsrMatrix(a.Rows, a.Cols, a.RowPtr, a.ColIndices, vals, validate: false);
    }

    /// <summary>
    /// The union of the supports of several graphs of the same shape, every entry 1 — the edge set of a learnable
    /// adjacency over, e.g., spatial ∪ feature kNN. <see cref="ValuesOnSupport"/> reads each graph on it.
    /// </summary>
    public static CsrMatrix UnionSupport(params CsrMatrix[] graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Length == 0) throw new ArgumentException("UnionSupport needs at least one graph.", nameof(graphs));
        var result = graphs[0];
        for (int g = 1; g < graphs.Length; g++)
        {
            if (graphs[g].Rows != result.Rows || graphs[g].Cols != result.Cols)
                throw new ArgumentException($"graph {g} is {graphs[g].Rows}×{graphs[g].Cols}, graph 0 is {result.Rows}×{result.Cols}.", nameof(graphs));
            result = Merge(result, graphs[g], (_, _) => 1.0);
        }
        return Merge(result, result, (_, _) => 1.0);
    }

    /// <summary>
    /// The values of <paramref name="graph"/> at each stored entry of <paramref name="support"/> (0 where the graph
    /// has none), in the support's storage order — e.g. initial edge weights of a learnable adjacency.
    /// </summary>
    public static double[] ValuesOnSupport(CsrMatrix graph, CsrMatrix support)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(support);
        if (graph.Rows != support.Rows || graph.Cols != support.Cols)
            throw new ArgumentException($"graph is {graph.Rows}×{graph.Cols} but the support is {support.Rows}×{support.Cols}.");
        var result = new double[support.NonZeroCount];
        for (int i = 0; i < support.Rows; i++)
        {
            var gi = graph.RowIndices(i);
            var gv = graph.RowValues(i);
            int q = 0;
            for (long p = support.RowPtr[i]; p < support.RowPtr[i + 1]; p++)
            {
                int c = support.ColIndices[p];
                while (q < gi.Length && gi[q] < c) q++;
                if (q < gi.Length && gi[q] == c) result[p] = gv[q];
            }
        }
        return result;
    }

    /// <summary>Entry-wise merge over the union of supports; f(a_ij, b_ij) with absent entries as 0.</summary>
    private static CsrMatrix Merge(CsrMatrix a, CsrMatrix b, Func<double, double, double> f)
    {
        var rowPtr = new long[a.Rows + 1];
        for (int i = 0; i < a.Rows; i++)
        {
            var x = a.RowIndices(i);
            var y = b.RowIndices(i);
            int p = 0, q = 0, count = 0;
            while (p < x.Length || q < y.Length)
            {
                if (q >= y.Length || (p < x.Length && x[p] < y[q])) p++;
                else if (p >= x.Length || y[q] < x[p]) q++;
                else { p++; q++; }
                count++;
            }
            rowPtr[i + 1] = rowPtr[i] + count;
        }
        var cols = new int[rowPtr[a.Rows]];
        var vals = new double[rowPtr[a.Rows]];
        for (int i = 0; i < a.Rows; i++)
        {
            var x = a.RowIndices(i); var xv = a.RowValues(i);
            var y = b.RowIndices(i); var yv = b.RowValues(i);
            int p = 0, q = 0;
            long o = rowPtr[i];
            while (p < x.Length || q < y.Length)
            {
                if (q >= y.Length || (p < x.Length && x[p] < y[q])) { cols[o] = x[p]; vals[o++] = f(xv[p], 0); p++; }
                else if (p >= x.Length || y[q] < x[p]) { cols[o] = y[q]; vals[o++] = f(0, yv[q]); q++; }
                else { cols[o] = x[p]; vals[o++] = f(xv[p], yv[q]); p++; q++; }
            }
        }
        return new CsrMatrix(a.Rows, a.Cols, rowPtr, cols, vals, validate: false);
    }

    private static void RequireSquare(CsrMatrix a, string name)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (a.Rows != a.Cols) throw new ArgumentException($"a graph adjacency must be square, but '{name}' is {a.Rows}×{a.Cols}.", name);
    }

    private static void CheckDegrees(CsrMatrix a, double[] degrees)
    {
        ArgumentNullException.ThrowIfNull(degrees);
        if (degrees.Length != a.Rows)
            throw new ArgumentException($"the degree vector has {degrees.Length} entries but the graph has {a.Rows} rows.", nameof(degrees));
    }
}
