using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// A row-sparse soft correspondence S (N₁ × N₂, k entries per row): S_i· = softmax over the k largest logits
/// q_i·k_jᵀ/τ of row i. Held as indices and weights (N₁ × k), so S·Z and Sᵀ·Z cost O(N·k·d).
/// </summary>
public sealed class SoftCorrespondence : IDisposable
{
    /// <summary>Column of each kept entry (int64, N₁ × k).</summary>
    public Tensor Indices { get; }
    /// <summary>Row-softmaxed weight of each kept entry (N₁ × k), differentiable in Q and K.</summary>
    public Tensor Weights { get; }
    public long ColumnCount { get; }

    private SoftCorrespondence(Tensor indices, Tensor weights, long columnCount)
    {
        Indices = indices;
        Weights = weights;
        ColumnCount = columnCount;
    }

    /// <summary>
    /// Builds S from row-normalised queries Q (N₁ × dₐ) and keys K (N₂ × dₐ). The top-k search runs without gradients
    /// on blocks of <paramref name="blockRows"/> rows (memory O(block·N₂)); the kept logits are then recomputed from
    /// the gathered keys, so the autograd graph holds only N₁ × k × dₐ values — never an N₁ × N₂ matrix.
    /// </summary>
    public static SoftCorrespondence TopK(Tensor queries, Tensor keys, int k, double temperature, int blockRows = 512)
    {
        if (queries.dim() != 2 || keys.dim() != 2 || queries.shape[1] != keys.shape[1])
            throw new ArgumentException($"queries and keys must be matrices with the same width; got [{string.Join(",", queries.shape)}] and [{string.Join(",", keys.shape)}].");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "top-k must be at least 1.");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "τ must be positive.");
        if (blockRows < 1) throw new ArgumentOutOfRangeException(nameof(blockRows), blockRows, "block size must be at least 1.");
        long n1 = queries.shape[0], n2 = keys.shape[0], width = queries.shape[1];
        int kept = (int)Math.Min(k, n2);

        Tensor indices;
        using (no_grad())
        {
            var q = queries.detach();
            var kt = keys.detach().t();
            var blocks = new List<Tensor>();
            try
            {
                for (long start = 0; start < n1; start += blockRows)
                {
                    long rows = Math.Min(blockRows, n1 - start);
                    using var block = q.narrow(0, start, rows);
                    using var logits = block.mm(kt);
                    var (values, idx) = logits.topk(kept, dim: 1, largest: true, sorted: true);
                    values.Dispose();
                    blocks.Add(idx);
                }
                indices = cat(blocks, 0);
            }
            finally
            {
                foreach (var b in blocks) b.Dispose();
                kt.Dispose();
                q.Dispose();
            }
        }

        using var scope = NewDisposeScope();
        var gathered = keys.index_select(0, indices.reshape(-1)).reshape(n1, kept, width);
        var selected = (queries.unsqueeze(1) * gathered).sum(2) / temperature;
        var weights = selected.softmax(1);
        return new SoftCorrespondence(indices, weights.MoveToOuterDisposeScope(), n2);
    }

    /// <summary>S·Z for Z with N₂ rows.</summary>
    public Tensor Multiply(Tensor z)
    {
        using var scope = NewDisposeScope();
        long n1 = Indices.shape[0], kept = Indices.shape[1];
        var gathered = z.index_select(0, Indices.reshape(-1)).reshape(n1, kept, z.shape[1]);
        return (Weights.unsqueeze(2) * gathered).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Sᵀ·Z for Z with N₁ rows (scatter-add onto the N₂ columns).</summary>
    public Tensor TransposeMultiply(Tensor z)
    {
        using var scope = NewDisposeScope();
        long n1 = Indices.shape[0], kept = Indices.shape[1], d = z.shape[1];
        var messages = (Weights.unsqueeze(2) * z.unsqueeze(1)).reshape(n1 * kept, d);
        var result = zeros(ColumnCount, d, dtype: z.dtype, device: z.device).index_add(0, Indices.reshape(-1), messages, 1.0);
        return result.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Indices.Dispose();
        Weights.Dispose();
    }
}
