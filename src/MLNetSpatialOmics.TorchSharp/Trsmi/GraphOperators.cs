using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// Linear graph operators x ↦ A·x given as functions (each one a few SpMMs), so fused, averaged and renormalised graphs
/// are never materialised: the degree vector of any non-negative operator is A·1, which is all symmetric normalisation
/// needs. Returned operators capture tensors created in the caller's dispose scope.
/// </summary>
public static class GraphOperators
{
    /// <summary>x ↦ D^-½·A·D^-½·x with D = diag(A·1); zero-degree rows stay zero.</summary>
    /// <param name="operatorA">a non-negative operator on N-row matrices.</param>
    /// <param name="like">any N-row tensor with the dtype and device of the operator's inputs.</param>
    public static Func<Tensor, Tensor> SymmetricallyNormalized(Func<Tensor, Tensor> operatorA, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(operatorA);
        var inverseRoot = InverseRootDegree(operatorA, like);
        return x => inverseRoot * operatorA(inverseRoot * x);
    }

    /// <summary>x ↦ (1/M)·Σ_m A_m·x.</summary>
    public static Func<Tensor, Tensor> Average(IReadOnlyList<Func<Tensor, Tensor>> operators)
    {
        ArgumentNullException.ThrowIfNull(operators);
        if (operators.Count == 0) throw new ArgumentException("averaging needs at least one graph operator.", nameof(operators));
        if (operators.Count == 1) return operators[0];
        return x =>
        {
            var sum = operators[0](x);
            for (int m = 1; m < operators.Count; m++) sum = sum + operators[m](x);
            return sum / operators.Count;
        };
    }

    /// <summary>D^-½ as an N×1 column, from the degree A·1 (differentiable in A's weights).</summary>
    private static Tensor InverseRootDegree(Func<Tensor, Tensor> operatorA, Tensor like)
    {
        using var ones = torch.ones(like.shape[0], 1, dtype: like.dtype, device: like.device);
        var degree = operatorA(ones);
        return where(degree.gt(0), degree.clamp_min(1e-30).rsqrt(), zeros_like(degree));
    }
}
