using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Transforms;

/// <summary>How <see cref="LsiModel"/> turns the SVD of the TF-IDF matrix into spot features.</summary>
public enum LsiOutput
{
    /// <summary>SpatialGlue/PRAGA's <c>lsi()</c>: U only, each row standardised (mean 0, sd with ddof 1), first component dropped.</summary>
    PragaStandardisedU,
    /// <summary>The plain LSI embedding U·S (sklearn <c>TruncatedSVD</c>'s output), all components kept.</summary>
    ScaledU,
}

/// <summary>
/// A fitted LSI: idf, and the truncated SVD basis of the normalised TF-IDF matrix (no centring). New spots are
/// projected as U = X·Vᵀ·S⁻¹, which reproduces the training U exactly on the training data.
/// </summary>
public sealed class LsiModel
{
    public double[] Idf { get; }
    public bool SecondL1Normalisation { get; }
    public double ScaleFactor { get; }
    public DenseMatrix Vt { get; }
    public double[] SingularValues { get; }
    public LsiOutput Output { get; }

    public LsiModel(double[] idf, bool secondL1, double scale, DenseMatrix vt, double[] singularValues, LsiOutput output)
    {
        Idf = idf; SecondL1Normalisation = secondL1; ScaleFactor = scale; Vt = vt; SingularValues = singularValues; Output = output;
    }

    /// <param name="svdComponents">number of SVD components (PRAGA: n_components + 1 = 101 for 100 outputs).</param>
    public static LsiModel Fit(FeatureMatrix counts, int svdComponents, LsiOutput output = LsiOutput.PragaStandardisedU,
        bool secondL1 = true, double scale = 1e4, SvdSolver solver = SvdSolver.Auto, int seed = 0, int powerIterations = 7)
    {
        int n = counts.Rows, p = counts.Cols;
        int minimum = output == LsiOutput.PragaStandardisedU ? 2 : 1;
        if (svdComponents < minimum || svdComponents > Math.Min(n, p))
            throw new ArgumentOutOfRangeException(nameof(svdComponents), svdComponents,
                $"LSI of {n} spots × {p} features can use {minimum}..{Math.Min(n, p)} SVD components" +
                (output == LsiOutput.PragaStandardisedU ? " (the first is dropped, so at least 2)." : "."));
        var idf = TfIdfKernel.FitIdf(counts);
        var x = TfIdfKernel.Apply(counts, idf, secondL1, scale);
        SvdResult svd = SvdSolverChoice.UseExact(solver, n, p)
            ? ThinSvd.Compute(x.ToDense(), svdComponents)
            : RandomizedSvd.Compute(x.Sparse is { } s ? LinearOperator.From(s) : LinearOperator.From(x.Dense!), svdComponents, seed, powerIterations: powerIterations);
        svd.FlipSignsByU();
        return new LsiModel(idf, secondL1, scale, svd.Vt, svd.S, output);
    }

    public int OutputWidth => Output == LsiOutput.PragaStandardisedU ? SingularValues.Length - 1 : SingularValues.Length;

    /// <summary>The TF-IDF-normalised matrix (before the SVD) for counts with the fitted features in the fitted order.</summary>
    public FeatureMatrix Normalise(FeatureMatrix counts) => TfIdfKernel.Apply(counts, Idf, SecondL1Normalisation, ScaleFactor);

    /// <summary>U = X·Vᵀ·S⁻¹ (spots × k).</summary>
    public DenseMatrix ProjectU(FeatureMatrix counts)
    {
        if (counts.Cols != Idf.Length) throw new ArgumentException($"LSI was fitted on {Idf.Length} features, the input has {counts.Cols}.");
        var x = Normalise(counts);
        var op = x.Sparse is { } s ? LinearOperator.From(s) : LinearOperator.From(x.Dense!);
        var u = op.Multiply(MatrixOps.Transpose(Vt));
        ThinSvd.DivideColumns(u, SingularValues);
        return u;
    }

    public DenseMatrix Transform(FeatureMatrix counts)
    {
        var u = ProjectU(counts);
        return Output == LsiOutput.PragaStandardisedU ? StandardiseRowsDropFirst(u) : ScaleColumns(u, SingularValues);
    }

    /// <summary>Each row: subtract its mean, divide by its sd (ddof 1; sd 0 → 1), then drop column 0.</summary>
    public static DenseMatrix StandardiseRowsDropFirst(DenseMatrix u)
    {
        int k = u.Cols;
        var r = new DenseMatrix(u.Rows, k - 1);
        for (int i = 0; i < u.Rows; i++)
        {
            var row = u.RowReadOnly(i);
            double mean = 0;
            foreach (var v in row) mean += v;
            mean /= k;
            double ss = 0;
            foreach (var v in row) ss += (v - mean) * (v - mean);
            double sd = k > 1 ? Math.Sqrt(ss / (k - 1)) : 0;
            if (sd == 0) sd = 1;
            var dst = r.Row(i);
            for (int c = 1; c < k; c++) dst[c - 1] = (row[c] - mean) / sd;
        }
        return r;
    }

    private static DenseMatrix ScaleColumns(DenseMatrix u, double[] s)
    {
        var r = u.Clone();
        for (int i = 0; i < r.Rows; i++)
        {
            var row = r.Row(i);
            for (int c = 0; c < s.Length; c++) row[c] *= s[c];
        }
        return r;
    }
}
