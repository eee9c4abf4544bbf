using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// EM exactly as mclust's <c>me()</c> runs it: start with an M-step from the given z, then E-step, and repeat until
/// |l_new − l_old| / (1 + |l_new|) ≤ tol (mclust's emControl default tol = 1e-5) or the iteration limit. The returned
/// log-likelihood, z and classification belong to the last M-step's parameters.
/// </summary>
internal static class MixtureEm
{
    public sealed record Result(MixtureParameters? Parameters, double[] Z, double LogLikelihood, int Iterations, double RelativeChange)
    {
        public bool Failed => Parameters is null;
    }

    public static Result Run(MixtureModelName model, DenseMatrix x, double[] z, int g, double tolerance, int maxIterations)
    {
        double hold = double.MaxValue / 2, hood = double.NaN, err = double.MaxValue;
        int iter = 0;
        MixtureParameters? parameters = null;
        while (true)
        {
            iter++;
            parameters = MixtureParameters.MStep(model, x, z, g);
            if (parameters is null) return new Result(null, z, double.NaN, iter, err);
            hood = parameters.EStep(x, z);
            err = Math.Abs(hold - hood) / (1 + Math.Abs(hood));
            hold = hood;
            if (!(err > tolerance && iter < maxIterations)) break;
        }
        return new Result(parameters, z, hood, iter, err);
    }

    /// <summary>mclust's <c>unmap</c>: a hard partition (labels 0..G-1) as a 0/1 matrix n × G.</summary>
    public static double[] Unmap(int[] labels, int g)
    {
        var z = new double[(long)labels.Length * g];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)g)
                throw new ArgumentException($"partition label {labels[i]} at row {i} is outside 0..{g - 1}.");
            z[(long)i * g + labels[i]] = 1;
        }
        return z;
    }

    public static int[] MapLabels(double[] z, int n, int g)
    {
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int k = 1; k < g; k++) if (z[i * g + k] > z[i * g + best]) best = k;
            labels[i] = best;
        }
        return labels;
    }
}
