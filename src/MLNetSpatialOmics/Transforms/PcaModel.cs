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
    /// <summary>Per-feature divisors applied after centring (the fitted sds of an implicit z-scoring), or null.</summary>
    public double[]? Scale { get; }

    public PcaModel(double[] mean, DenseMatrix components, double[] singularValues, double[] explainedVariance, double totalVariance,
        double[]? scale = null)
    {
        Mean = mean; Components = components; SingularValues = singularValues; ExplainedVariance = explainedVariance;
        TotalVariance = totalVariance; Scale = scale;
        ExplainedVarianceRatio = explainedVariance.Select(v => totalVariance > 0 ? v / totalVariance : 0).ToArray();
    }

    public int ComponentCount => SingularValues.Length;

    /// <param name="standardizeDdof">when set (0 or 1), each feature is also divided by its sd (0 → 1) before the SVD, exactly
    /// as <c>Scale</c> (no clipping) followed by PCA, but without materialising the dense scaled matrix: sparse input stays
    /// sparse and the randomized solver works on the implicitly centred and scaled operator.</param>
    public static PcaModel Fit(FeatureMatrix x, int components, SvdSolver solver = SvdSolver.Auto, int seed = 0, int powerIterations = 7,
        int? standardizeDdof = null)
    {
        int n = x.Rows, p = x.Cols;
        if (n < 2) throw new ArgumentException($"PCA needs at least 2 spots; the input has {n}.");
        if (components < 1 || components > Math.Min(n, p))
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"PCA of {n} spots × {p} features can give at most {Math.Min(n, p)} components.");
        var mean = x.ColumnSums();
        for (int j = 0; j < p; j++) mean[j] /= n;
        double[]? scale = null;
        double total;
        if (standardizeDdof is { } ddof)
        {
            var (_, sd) = ScaleKernel.Fit(x, ddof);
            scale = sd;
            var raw = ColumnVariances(x, mean);
            total = 0;
            for (int j = 0; j < p; j++) total += raw[j] / (sd[j] * sd[j]);
        }
        else total = ColumnVariances(x, mean).Sum();

        SvdResult svd;
        if (SvdSolverChoice.UseExact(solver, n, p))
        {
            var centred = x.ToDense();
            if (ReferenceEquals(centred, x.Dense)) centred = centred.Clone();
            Parallel.For(0, n, Parallelism.Options, i =>
            {
                var row = centred.Row(i);
                VectorOps.Axpy(-1.0, mean, row);
                if (scale is not null) for (int j = 0; j < row.Length; j++) row[j] /= scale[j];
            });
            svd = ThinSvd.Compute(centred, components);
        }
        else
        {
            svd = RandomizedSvd.Compute(Operator(x, mean, scale), components, seed, powerIterations: powerIterations);
        }
        svd.FlipSignsByU();
        var ev = svd.S.Select(s => s * s / (n - 1)).ToArray();
        return new PcaModel(mean, svd.Vt, svd.S, ev, total, scale);
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
        return Operator(x, Mean, Scale).Multiply(MatrixOps.Transpose(Components));
    }

    private static LinearOperator Operator(FeatureMatrix x, double[] mean, double[]? scale)
    {
        var op = (x.Sparse is { } s ? LinearOperator.From(s) : LinearOperator.From(x.Dense!)).Centred(mean);
        return scale is null ? op : op.ColumnsScaled(scale.Select(v => 1.0 / v).ToArray());
    }
}
