namespace MLNetSpatialOmics.Transforms;

/// <summary>Which SVD a PCA/LSI fit uses.</summary>
public enum SvdSolver
{
    /// <summary>Exact when the input is small enough (see <see cref="SvdSolverChoice.ExactWorkLimit"/>), randomized otherwise.</summary>
    Auto,
    /// <summary>Exact leading singular triplets (dense Gram matrix + tridiagonal eigen-solver).</summary>
    Exact,
    /// <summary>Seeded randomized SVD with power iterations; sparse input stays sparse.</summary>
    Randomized,
}

internal static class SvdSolverChoice
{
    /// <summary>Exact SVD costs about m·n·min(m, n) multiply-adds for the Gram matrix plus min(m, n)³ for the
    /// tridiagonal reduction; beyond this budget (a few seconds on two cores) Auto switches to randomized.</summary>
    public const double ExactWorkLimit = 4e9;

    public static bool UseExact(SvdSolver solver, int rows, int cols)
    {
        if (solver != SvdSolver.Auto) return solver == SvdSolver.Exact;
        double small = Math.Min(rows, cols);
        return (double)rows * cols * small + small * small * small <= ExactWorkLimit && small <= 4000;
    }
}
