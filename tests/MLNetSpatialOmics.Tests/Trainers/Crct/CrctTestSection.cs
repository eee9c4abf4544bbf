using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Tests.Trainers.Crct;

/// <summary>
/// A small section for trainer tests: a 12×10 grid split into three vertical bands (one of them narrow, the "rare"
/// domain), two modalities whose means depend on the band, plus seeded noise.
/// </summary>
internal static class CrctTestSection
{
    public const int Width = 12, Height = 10, Clusters = 3;

    public static int BandOf(int column) => column < 5 ? 0 : column < 10 ? 1 : 2;

    public static (DenseMatrix Coordinates, DenseMatrix[] Modalities, int[] Truth) Matrices(int seed = 3)
    {
        var rng = new Random(seed);
        int n = Width * Height;
        var coords = new DenseMatrix(n, 2);
        var rna = new DenseMatrix(n, 12);
        var adt = new DenseMatrix(n, 6);
        var truth = new int[n];
        for (int i = 0; i < n; i++)
        {
            int col = i % Width, row = i / Width;
            coords[i, 0] = col;
            coords[i, 1] = row;
            int band = BandOf(col);
            truth[i] = band;
            for (int j = 0; j < rna.Cols; j++) rna[i, j] = (j % Clusters == band ? 2.0 : 0.0) + 0.6 * Gaussian(rng);
            for (int j = 0; j < adt.Cols; j++) adt[i, j] = (j / 2 == band ? 1.5 : 0.0) + 0.6 * Gaussian(rng);
        }
        return (coords, new[] { rna, adt }, truth);
    }

    public static InMemoryDataView View(int seed = 3)
    {
        var (coords, mods, truth) = Matrices(seed);
        int n = coords.Rows;
        return new InMemoryDataView(new[]
        {
            InMemoryColumn.Single(SectionColumns.X, Enumerable.Range(0, n).Select(i => (float)coords[i, 0]).ToArray()),
            InMemoryColumn.Single(SectionColumns.Y, Enumerable.Range(0, n).Select(i => (float)coords[i, 1]).ToArray()),
            InMemoryColumn.Vector("RNA", mods[0]),
            InMemoryColumn.Vector("ADT", mods[1]),
            InMemoryColumn.Int32(SectionColumns.Truth, truth),
        });
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Fraction of spots whose label matches the truth under the best one-to-one relabelling (3! permutations).</summary>
    public static double BestMatchAccuracy(IReadOnlyList<int> labels, IReadOnlyList<int> truth)
    {
        var perms = new[] { new[] { 0, 1, 2 }, new[] { 0, 2, 1 }, new[] { 1, 0, 2 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 }, new[] { 2, 1, 0 } };
        return perms.Max(p => labels.Select((l, i) => l < 3 && p[l] == truth[i] ? 1.0 : 0.0).Sum() / truth.Count);
    }
}
