using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Trainers;

/// <summary>
/// A tiny simulated section for trainer tests: a square grid split into vertical stripes (the domains); each modality
/// is a domain-specific mean pattern plus Gaussian noise, so domains are recoverable but not trivially.
/// </summary>
internal sealed class SyntheticSection
{
    public required DenseMatrix Coordinates { get; init; }
    public required DenseMatrix[] Modalities { get; init; }
    public required int[] Truth { get; init; }

    public static SyntheticSection Create(int side, int domains, int[] modalityDims, int seed, double noise = 1.0)
    {
        var rng = new Random(seed);
        int n = side * side;
        var coords = new DenseMatrix(n, 2);
        var truth = new int[n];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
            {
                int i = r * side + c;
                coords[i, 0] = c;
                coords[i, 1] = r;
                truth[i] = Math.Min(domains - 1, c * domains / side);
            }
        var modalities = new DenseMatrix[modalityDims.Length];
        for (int m = 0; m < modalityDims.Length; m++)
        {
            int d = modalityDims[m];
            var centres = new double[domains, d];
            for (int k = 0; k < domains; k++) for (int j = 0; j < d; j++) centres[k, j] = 2 * Gaussian(rng);
            var x = new DenseMatrix(n, d);
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i, j] = centres[truth[i], j] + noise * Gaussian(rng);
            modalities[m] = x;
        }
        return new SyntheticSection { Coordinates = coords, Modalities = modalities, Truth = truth };
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
