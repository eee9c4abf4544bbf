using MLNetSpatialOmics.Numerics;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning.Interim;

/// <summary>
/// Stand-in for <c>MLNetSpatialOmics.Graphs</c> (kNN + PRAGA normalisation) until that area lands on main; replace the
/// calls in <see cref="SectionGraphBuilder"/> and delete this file. Exact brute-force kNN in row blocks on the torch
/// device: O(N²·d) time, O(block·N) memory, never N×N.
/// </summary>
internal static class InterimNeighbourGraphs
{
    private const int BlockRows = 1024;

    /// <summary>k nearest spots by Euclidean distance (self excluded), unit weights.</summary>
    public static CsrMatrix EuclideanKnn(DenseMatrix points, int k, Device device) => Knn(points, k, device, correlation: false);

    /// <summary>k nearest spots by correlation distance (1 − Pearson r, self excluded), unit weights.</summary>
    public static CsrMatrix CorrelationKnn(DenseMatrix features, int k, Device device) => Knn(features, k, device, correlation: true);

    private static CsrMatrix Knn(DenseMatrix data, int k, Device device, bool correlation)
    {
        int n = data.Rows;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        k = Math.Min(k, n - 1);
        var neighbours = new int[(long)n * Math.Max(k, 0)];
        if (k > 0)
        {
            using var scope = NewDisposeScope();
            var x = tensor(data.Data, new long[] { n, data.Cols }, dtype: ScalarType.Float64, device: device);
            if (correlation)
            {
                x = x - x.mean(new long[] { 1 }, keepdim: true);
                x = nn.functional.normalize(x, p: 2, dim: 1);
            }
            var squaredNorms = x.square().sum(1);
            for (int start = 0; start < n; start += BlockRows)
            {
                using var inner = NewDisposeScope();
                int end = Math.Min(n, start + BlockRows);
                var block = x.narrow(0, start, end - start);
                // Score: larger = closer (negative squared distance, or correlation).
                var score = correlation
                    ? block.mm(x.t())
                    : 2 * block.mm(x.t()) - squaredNorms.unsqueeze(0) - squaredNorms.narrow(0, start, end - start).unsqueeze(1);
                var self = arange(start, end, dtype: ScalarType.Int64, device: device).unsqueeze(1);
                score.scatter_(1, self, full(self.shape, double.NegativeInfinity, dtype: score.dtype, device: device));
                var (_, idx) = score.topk(k, dim: 1, largest: true, sorted: true);
                var flat = idx.to(CPU).to_type(ScalarType.Int32).data<int>().ToArray();
                Array.Copy(flat, 0, neighbours, (long)start * k, flat.Length);
            }
        }
        var rowPtr = new long[n + 1];
        var cols = new int[(long)n * k];
        var vals = new double[(long)n * k];
        for (int i = 0; i < n; i++)
        {
            var row = neighbours.AsSpan(i * k, k).ToArray();
            Array.Sort(row);
            row.CopyTo(cols, (long)i * k);
            Array.Fill(vals, 1.0, i * k, k);
            rowPtr[i + 1] = (long)(i + 1) * k;
        }
        return new CsrMatrix(n, n, rowPtr, cols, vals, validate: false);
    }

    /// <summary>PRAGA/SpatialGlue: A + Aᵀ clipped to 1, plus self-loops, then D^-½(A+I)D^-½.</summary>
    public static CsrMatrix PragaNormalize(CsrMatrix knn)
    {
        int n = knn.Rows;
        var sets = new List<int>[n];
        for (int i = 0; i < n; i++) sets[i] = new List<int>(knn.RowLength(i) * 2 + 1) { i };
        for (int i = 0; i < n; i++)
            foreach (int j in knn.RowIndices(i))
            {
                sets[i].Add(j);
                sets[j].Add(i);
            }
        var rowPtr = new long[n + 1];
        var colList = new List<int>();
        var degree = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = sets[i];
            row.Sort();
            int previous = -1;
            foreach (int j in row)
            {
                if (j == previous) continue;
                colList.Add(j);
                previous = j;
                degree[i] += 1;
            }
            rowPtr[i + 1] = colList.Count;
        }
        var cols = colList.ToArray();
        var vals = new double[cols.Length];
        for (int i = 0; i < n; i++)
            for (long p = rowPtr[i]; p < rowPtr[i + 1]; p++)
                vals[p] = 1.0 / Math.Sqrt(degree[i] * degree[cols[p]]);
        return new CsrMatrix(n, n, rowPtr, cols, vals, validate: false);
    }
}
