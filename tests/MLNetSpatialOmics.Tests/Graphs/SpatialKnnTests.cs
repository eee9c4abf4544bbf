using MLNetSpatialOmics.Graphs;

namespace MLNetSpatialOmics.Tests.Graphs;

[TestClass]
public sealed class SpatialKnnTests
{
    [TestMethod]
    [DataRow(3)]
    [DataRow(6)]
    public void Hln_FirstFiftyQueries_MatchSklearnDistancesAndIndexTiebreak(int k)
    {
        var fixture = HlnGraphData.Fixture("knn_spatial_hln.json");
        var knn = SpatialKnn.Compute(HlnGraphData.X, HlnGraphData.Y, k);
        foreach (var row in fixture.GetProperty("k").GetProperty(k.ToString()).GetProperty("rows").EnumerateArray())
        {
            int q = row.GetProperty("query").GetInt32();
            var expectedDist = HlnGraphData.Doubles(row.GetProperty("distances_sorted"));
            var expectedSq = HlnGraphData.Doubles(row.GetProperty("squared_distances_sorted"));
            var expectedIdx = HlnGraphData.Ints(row.GetProperty("tiebreak_by_index"));
            CollectionAssert.AreEqual(expectedDist, knn.DistancesOf(q).ToArray(), $"distance multiset of query {q}");
            CollectionAssert.AreEqual(expectedSq, knn.DistancesOf(q).ToArray().Select(d => Math.Round(d * d)).ToArray());
            CollectionAssert.AreEqual(expectedIdx, knn.NeighborsOf(q).ToArray(), $"(distance, index) tie rule at query {q}");
            var allowed = HlnGraphData.Ints(row.GetProperty("must_include"))
                .Concat(HlnGraphData.Ints(row.GetProperty("candidates_at_kth_distance"))).ToHashSet();
            foreach (var j in knn.NeighborsOf(q)) Assert.IsTrue(allowed.Contains(j), $"query {q}: {j} is not a valid neighbour");
        }
    }

    [TestMethod]
    public void Hln_AllSpots_EqualSpdepKnearneighLists()
    {
        var expected = HlnGraphData.Fixture("moran_hln.json").GetProperty("neighbours_knn6_tiebreak_by_index");
        var knn = SpatialKnn.Compute(HlnGraphData.X, HlnGraphData.Y, 6);
        Assert.AreEqual(3484, expected.GetArrayLength());
        Assert.AreEqual(3484, knn.Count);
        int i = 0;
        foreach (var row in expected.EnumerateArray())
        {
            var want = HlnGraphData.Ints(row);
            var got = knn.NeighborsOf(i).ToArray();
            CollectionAssert.AreEqual(want, got, $"spot {i} (order: distance, then index)");
            i++;
        }
    }

    [TestMethod]
    public void RandomLatticeWithTiesAndDuplicates_EqualsBruteForce()
    {
        var rng = new Random(11);
        foreach (int n in new[] { 2, 5, 40, 700 })
        {
            // Small integer range: many equal distances and duplicated coordinates.
            var x = Enumerable.Range(0, n).Select(_ => (double)rng.Next(0, 12)).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(0, 9)).ToArray();
            foreach (int k in new[] { 1, 3, 6, 25 })
            {
                if (k >= n) continue;
                AssertEqualsBruteForce(x, y, k, SpatialKnn.Compute(x, y, k));
            }
        }
    }

    [TestMethod]
    public void RandomContinuousAndDegenerateLayouts_EqualBruteForce()
    {
        var rng = new Random(5);
        int n = 1500;
        var cases = new List<(double[] X, double[] Y)>
        {
            (Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 1000).ToArray(), Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray()),
            // clustered: most points in a tiny corner, a few far away
            (Enumerable.Range(0, n).Select(i => i % 100 == 0 ? 1e6 * rng.NextDouble() : rng.NextDouble()).ToArray(),
             Enumerable.Range(0, n).Select(i => i % 100 == 0 ? 1e6 * rng.NextDouble() : rng.NextDouble()).ToArray()),
            // all on a vertical line
            (new double[n], Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 50).ToArray()),
        };
        // A few stray spots far off (bad coordinates): above 2,000 points the grid spans the quantile range only.
        int m = 2500;
        var ox = Enumerable.Range(0, m).Select(_ => Math.Round(rng.NextDouble() * 100, 1)).ToArray();
        var oy = Enumerable.Range(0, m).Select(_ => Math.Round(rng.NextDouble() * 100, 1)).ToArray();
        (ox[5], oy[5], ox[900], oy[900], ox[901], oy[901], ox[2000]) = (1e7, 1e7, -3e6, 50, -3e6 + 1, 50, 4e5);
        cases.Add((ox, oy));
        foreach (var (x, y) in cases)
            AssertEqualsBruteForce(x, y, 6, SpatialKnn.Compute(x, y, 6));
    }

    [TestMethod]
    public void ThreadCount_DoesNotChangeResult()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 20000).Select(_ => (double)rng.Next(0, 200)).ToArray();
        var y = Enumerable.Range(0, 20000).Select(_ => (double)rng.Next(0, 200)).ToArray();
        var one = SpatialKnn.Compute(x, y, 6, maxDegreeOfParallelism: 1);
        var many = SpatialKnn.Compute(x, y, 6, maxDegreeOfParallelism: 4);
        CollectionAssert.AreEqual(one.Indices, many.Indices);
        CollectionAssert.AreEqual(one.Distances, many.Distances);
    }

    [TestMethod]
    public void IdenticalPoints_AreNeighboursAtZeroByIndex()
    {
        var x = new double[] { 1, 1, 1, 1, 5 };
        var y = new double[] { 2, 2, 2, 2, 2 };
        var knn = SpatialKnn.Compute(x, y, 3);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, knn.NeighborsOf(0).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, knn.NeighborsOf(3).ToArray());
        CollectionAssert.AreEqual(new[] { 0.0, 0.0, 0.0 }, knn.DistancesOf(3).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, knn.NeighborsOf(4).ToArray());
        CollectionAssert.AreEqual(new[] { 4.0, 4.0, 4.0 }, knn.DistancesOf(4).ToArray());
    }

    [TestMethod]
    public void BadInput_GivesClearErrors()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpatialKnn.Compute(new[] { 0.0 }, new[] { 0.0 }, 1));
        StringAssert.Contains(e.Message, "at least k + 1 = 2 spots");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpatialKnn.Compute(new double[3], new double[3], 3));
        StringAssert.Contains(e.Message, "but there are 3");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpatialKnn.Compute(new double[3], new double[3], 0));
        var a = Assert.ThrowsExactly<ArgumentException>(() => SpatialKnn.Compute(new double[3], new double[2], 1));
        StringAssert.Contains(a.Message, "y has 2");
        a = Assert.ThrowsExactly<ArgumentException>(() => SpatialKnn.Compute(new[] { 0.0, double.NaN, 1 }, new double[3], 1));
        StringAssert.Contains(a.Message, "spot 1");
    }

    /// <summary>Independent O(N²) reference: sort all j ≠ i by (squared distance, j).</summary>
    internal static void AssertEqualsBruteForce(double[] x, double[] y, int k, NeighborList knn)
    {
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (D2: (x[j] - x[i]) * (x[j] - x[i]) + (y[j] - y[i]) * (y[j] - y[i]), J: j))
                .OrderBy(t => t.D2).ThenBy(t => t.J).Take(k).ToArray();
            CollectionAssert.AreEqual(expected.Select(t => t.J).ToArray(), knn.NeighborsOf(i).ToArray(), $"spot {i} of {n}, k = {k}");
            CollectionAssert.AreEqual(expected.Select(t => Math.Sqrt(t.D2)).ToArray(), knn.DistancesOf(i).ToArray(), $"spot {i}");
        }
    }
}
