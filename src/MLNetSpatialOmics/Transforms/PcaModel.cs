using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Transforms;

/// <summary>
/// A fitted PCA as <c>sklearn.decomposition.PCA</c>: column means, principal axes (rows of <see cref="Components"/>),
/// singular values and explained variance. Signs follow sklearn 1.2.1's rule (largest-|.| entry of each training
/// score column positive), so they are deterministic and match scanpy/SpatialGlue/PRAGA outputs.
/// </summary>
public sealed class PcaModel
{
    public double[] Mean { get; }
    /// <summary>k × features, orthonormal rows.</summary>
    public DenseMatrix Components { get; }
    public double[] SingularValues { get; }
    /// <summary>S² / (n − 1).</summary>
    public double[] ExplainedVariance { get; }
    /// <summary>Explained variance divided by the total variance (sum of all column variances, ddof 1).</summary>
    public double[] ExplainedVarianceRatio { get; }
    public double TotalVariance { get; }

    public PcaModel(double[] mean, DenseMatrix components, double[] singularValues, double[] explainedVariance, double totalVariance)
    {
        Mean = mean; Components = components; SingularValues = singularValues; ExplainedVariance = explainedVariance;
        TotalVariance = totalVariance;
        ExplainedVarianceRatio = explainedVariance.Select(v => totalVariance > 0 ? v / totalVariance : 0).ToArray();
    }

    public int ComponentCount => SingularValues.Length;

    public static PcaModel Fit(FeatureMatrix x, int components, SvdSolver solver = SvdSolver.Auto, int seed = 0, int powerIterations = 7)
    {
        int n = x.Rows, p = x.Cols;
        if (n < 2) throw new ArgumentException($"PCA needs at least 2 spots; the input has {n}.");
        if (components < 1 || components > Math.Min(n, p))
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"PCA of {n} spots × {p} features can give at most {Math.Min(n, p)} components.");
        var mean = x.ColumnSums();
        for (int j = 0; j < p; j++) mean[j] /= n;
        double total = ColumnVariances(x, mean).Sum();

        SvdResult svd;
        if (SvdSolverChoice.UseExact(solver, n, p))
        {
            var centred = x.ToDense();
            if (ReferenceEquals(centred, x.Dense)) centred = centred.Clone();
            Parallel.For(0, n, i => VectorOps.Axpy(-1.0, mean, centred.Row(i)));
            svd = ThinSvd.Compute(centred, components);
        }
        else
        {
            var op = (x.Sparse is { } s ? LinearOperator.From(s) : LinearOperator.From(x.Dense!)).Centred(mean);
            svd = RandomizedSvd.Compute(op, components, seed, powerIterations: powerIterations);
        }
        svd.FlipSignsByU();
        var ev = svd.S.Select(s => s * s / (n - 1)).ToArray();
        return new PcaModel(mean, svd.Vt, svd.S, ev, total);
    }

    private static double[] ColumnVariances(FeatureMatrix x, double[] mean)
    {
        var (_, ss) = ScaleKernel.MeanAndSquaredDeviations(x);
        return ss.Select(v => v / (x.Rows - 1)).ToArray();
    }

    /// <summary>Scores (x − mean)·Componentsᵀ for new data with the fitted features in the fitted order.</summary>
    public DenseMatrix Transform(FeatureMatrix x)
    {
        if (x.Cols != Mean.Length) throw new ArgumentException($"PCA was fitted on {Mean.Length} features, the input has {x.Cols}.");
        var op = (x.Sparse is { } s ? LinearOperator.From(s) : LinearOperator.From(x.Dense!)).Centred(Mean);
        return op.Multiply(MatrixOps.Transpose(Components));
    }
}
