using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>Symmetric degree normalisation D^-½ A D^-½ on an edge list, from degree vectors (differentiable).</summary>
public static class GraphNormalization
{
    public static Tensor Symmetric(Tensor rows, Tensor cols, Tensor values, long nodeCount)
    {
        using var scope = NewDisposeScope();
        var inverseRoot = InverseRootDegree(rows, values, nodeCount);
        var result = values * inverseRoot.index_select(0, rows) * inverseRoot.index_select(0, cols);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>D^-½ from the row sums of an edge list; isolated nodes get 0 instead of inf.</summary>
    public static Tensor InverseRootDegree(Tensor rows, Tensor values, long nodeCount)
    {
        using var scope = NewDisposeScope();
        var degree = zeros(nodeCount, dtype: values.dtype, device: values.device).index_add(0, rows, values, 1.0);
        return InverseRoot(degree).MoveToOuterDisposeScope();
    }

    /// <summary>degree^-½ elementwise; isolated nodes (degree 0) get 0 instead of inf.</summary>
    public static Tensor InverseRoot(Tensor degree) =>
        where(degree.gt(0), degree.clamp_min(1e-30).rsqrt(), zeros_like(degree));
}
