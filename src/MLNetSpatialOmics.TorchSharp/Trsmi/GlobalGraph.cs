using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>One weighted edge list (COO, int64 rows/cols) scaled by a fusion weight.</summary>
public readonly record struct WeightedEdges(Tensor Rows, Tensor Cols, Tensor Values, Tensor Weight);

/// <summary>
/// The global graph of the multi-scale diffusion, Â_g = renorm((1/M)·Σ_m renorm(w_S^m·A_S + w_F^m·A_F^m)), built once
/// per forward pass as one sparse COO tensor on the union support (duplicate edges add up), O(E). It carries no gradient to the
/// graph weights (they learn through the encoders, where the same fused graphs are differentiable): that keeps each
/// of the diffusion's 14 propagations at one SpMM whose backward stores only the N × d input.
/// </summary>
public static class GlobalGraph
{
    /// <param name="modalities">per modality, the edge lists whose weighted sum is its fused graph.</param>
    public static Tensor Build(IReadOnlyList<IReadOnlyList<WeightedEdges>> modalities, long nodeCount)
    {
        ArgumentNullException.ThrowIfNull(modalities);
        if (modalities.Count == 0 || modalities.Any(m => m.Count == 0))
            throw new ArgumentException("the global graph needs at least one modality, each with at least one edge list.", nameof(modalities));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var rows = new List<Tensor>();
        var cols = new List<Tensor>();
        var vals = new List<Tensor>();
        foreach (var parts in modalities)
        {
            var r = cat(parts.Select(p => p.Rows).ToArray(), 0);
            var c = cat(parts.Select(p => p.Cols).ToArray(), 0);
            var v = cat(parts.Select(p => p.Values.detach() * p.Weight.detach()).ToArray(), 0);
            rows.Add(r);
            cols.Add(c);
            vals.Add(Normalize(r, c, v, nodeCount) / modalities.Count);
        }
        var allRows = cat(rows.ToArray(), 0);
        var allCols = cat(cols.ToArray(), 0);
        var averaged = cat(vals.ToArray(), 0);
        var normalized = Normalize(allRows, allCols, averaged, nodeCount);
        var sparse = sparse_coo_tensor(stack(new[] { allRows, allCols }), normalized, new long[] { nodeCount, nodeCount });
        return sparse.MoveToOuterDisposeScope();
    }

    /// <summary>D^-½ A D^-½ on an edge list (duplicate edges count towards the degree as their sum would).</summary>
    private static Tensor Normalize(Tensor rows, Tensor cols, Tensor values, long nodeCount)
    {
        var degree = zeros(nodeCount, dtype: values.dtype, device: values.device).index_add(0, rows, values, 1.0);
        var inverseRoot = where(degree.gt(0), degree.clamp_min(1e-30).rsqrt(), zeros_like(degree));
        return values * inverseRoot.index_select(0, rows) * inverseRoot.index_select(0, cols);
    }
}
