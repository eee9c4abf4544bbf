using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// A fitted Gaussian mixture: proportions, means, covariances, and how well it fitted its training data
/// (log-likelihood, mclust-convention BIC = 2·loglik − df·log n, ICL). Predicts posteriors and labels for new rows.
/// </summary>
public sealed class GaussianMixture
{
    private readonly MixtureParameters _parameters;

    public MixtureModelName ModelName => _parameters.Model;
    public int Components => _parameters.Components;
    public int Dimension => _parameters.Dimension;
    /// <summary>Mixing proportions π_k.</summary>
    public IReadOnlyList<double> Weights => _parameters.Proportions;

    /// <summary>Training log-likelihood (mclust reports the value of its last EM E-step).</summary>
    public double LogLikelihood { get; }
    /// <summary>Training sample size n.</summary>
    public int SampleCount { get; }
    /// <summary>EM iterations run.</summary>
    public int Iterations { get; }
    /// <summary>Last relative change |l_new − l_old|/(1 + |l_new|) of the EM run.</summary>
    public double RelativeChange { get; }
    /// <summary>Training labels (0-based) from the last E-step's posteriors.</summary>
    public IReadOnlyList<int> TrainingLabels { get; }
    /// <summary>Training ICL = BIC + 2·Σ_i log max_k z_ik (mclust's icl).</summary>
    public double Icl { get; }

    /// <summary>Number of free parameters (mclust's df).</summary>
    public int DegreesOfFreedom => ModelName.FreeParameters(Components, Dimension);
    /// <summary>mclust BIC: 2·loglik − df·log(n); larger is better.</summary>
    public double Bic => 2 * LogLikelihood - DegreesOfFreedom * Math.Log(SampleCount);

    internal GaussianMixture(MixtureParameters parameters, double logLikelihood, int sampleCount, int iterations,
        double relativeChange, int[] trainingLabels, double icl)
    {
        _parameters = parameters;
        LogLikelihood = logLikelihood;
        SampleCount = sampleCount;
        Iterations = iterations;
        RelativeChange = relativeChange;
        TrainingLabels = trainingLabels;
        Icl = icl;
    }

    internal MixtureParameters Parameters => _parameters;

    /// <summary>Mean of component k.</summary>
    public double[] Mean(int k) => _parameters.Means.AsSpan(CheckComponent(k) * Dimension, Dimension).ToArray();

    /// <summary>Covariance of component k (d×d, row-major); shared models return the same matrix for every k.</summary>
    public DenseMatrix Covariance(int k)
    {
        int d = Dimension;
        return new DenseMatrix(d, d, _parameters.Covariances.AsSpan(CheckComponent(k) * d * d, d * d).ToArray());
    }

    private int CheckComponent(int k) =>
        (uint)k < (uint)Components ? k : throw new ArgumentOutOfRangeException(nameof(k), k, $"the mixture has components 0..{Components - 1}.");

    /// <summary>Posterior probabilities (rows × components) for new rows with the training dimension.</summary>
    public DenseMatrix PredictProbabilities(DenseMatrix x) => PredictProbabilities(x, out _);

    public DenseMatrix PredictProbabilities(DenseMatrix x, out double logLikelihood)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Cols != Dimension)
            throw new ArgumentException($"the mixture was fitted on {Dimension} dimensions; the data has {x.Cols}.", nameof(x));
        var z = new double[(long)x.Rows * Components];
        logLikelihood = _parameters.EStep(x, z);
        return new DenseMatrix(x.Rows, Components, z);
    }

    /// <summary>Most probable component (0-based) of each row.</summary>
    public int[] Predict(DenseMatrix x)
    {
        var z = PredictProbabilities(x);
        return MixtureEm.MapLabels(z.Data, x.Rows, Components);
    }

    internal void Save(ModelStateWriter w)
    {
        w.Write("model", ModelName.ToString());
        w.Write("components", Components);
        w.Write("dimension", Dimension);
        w.Write("proportions", _parameters.Proportions);
        w.Write("means", _parameters.Means);
        w.Write("covariances", _parameters.Covariances);
        w.Write("loglik", LogLikelihood);
        w.Write("n", SampleCount);
        w.Write("iterations", Iterations);
        w.Write("relative_change", RelativeChange);
        w.Write("icl", Icl);
    }

    internal static GaussianMixture Load(ModelStateReader r)
    {
        var name = r.GetString("model");
        if (!Enum.TryParse<MixtureModelName>(name, out var model))
            throw new InvalidDataException($"saved mixture has unknown model name '{name}'.");
        int g = r.GetInt32("components"), d = r.GetInt32("dimension");
        var pro = r.GetDoubleArray("proportions");
        var means = r.GetDoubleArray("means");
        var cov = r.GetDoubleArray("covariances");
        if (g <= 0 || d <= 0 || pro.Length != g || means.Length != g * d || cov.Length != g * d * d)
            throw new InvalidDataException($"saved mixture arrays do not fit G = {g}, d = {d}.");
        var parameters = MixtureParameters.TryCreate(model, g, d, pro, means, cov)
            ?? throw new InvalidDataException("saved mixture has a covariance that is not positive definite.");
        return new GaussianMixture(parameters, r.GetDouble("loglik"), r.GetInt32("n"), r.GetInt32("iterations"),
            r.GetDouble("relative_change"), Array.Empty<int>(), r.GetDouble("icl"));
    }
}
