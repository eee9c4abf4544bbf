using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers;

[TestClass]
[DoNotParallelize] // changes torch's thread count
public class CsrPropagationTests
{
    /// <summary>A random non-symmetric pattern: row i has a random number of distinct, sorted columns.</summary>
    private static CsrStructure RandomPattern(int n, int maxDegree, int seed)
    {
        var rng = new Random(seed);
        var rowPtr = new long[n + 1];
        var cols = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var row = new SortedSet<int>();
            int degree = rng.Next(maxDegree + 1);   // some rows are empty
            while (row.Count < degree) row.Add(rng.Next(n));
            cols.AddRange(row);
            rowPtr[i + 1] = cols.Count;
        }
        return new CsrStructure(n, rowPtr, cols.ToArray());
    }

    private static Tensor RowIndex(CsrStructure a)
    {
        var rows = new long[a.EdgeCount];
        for (int i = 0; i < a.RowCount; i++)
            for (long p = a.RowPtr[i]; p < a.RowPtr[i + 1]; p++) rows[p] = i;
        return tensor(rows);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    [DataRow(64)]
    [DataRow(67)]
    public void ForwardAndBothGradientsMatchTorchGatherScatter(int d)
    {
        var a = RandomPattern(200, 9, d);
        using var scope = NewDisposeScope();
        manual_seed(d);
        var rows = RowIndex(a);
        var cols = tensor(a.Cols.Select(c => (long)c).ToArray());
        var x1 = randn(200, d).requires_grad_(true);
        var v1 = rand(a.EdgeCount).requires_grad_(true);
        var x2 = x1.detach().clone().requires_grad_(true);
        var v2 = v1.detach().clone().requires_grad_(true);
        var upstream = randn(200, d);

        var ours = CsrPropagation.Apply(a, v1, x1);
        var reference = zeros(200, d).index_add(0, rows, x2.index_select(0, cols) * v2.unsqueeze(1), 1.0);
        Assert.IsTrue(ours.allclose(reference, rtol: 1e-5, atol: 1e-5), "forward differs");
        (ours * upstream).sum().backward();
        (reference * upstream).sum().backward();
        Assert.IsTrue(x1.grad!.allclose(x2.grad!, rtol: 1e-5, atol: 1e-5), "∂/∂x differs");
        Assert.IsTrue(v1.grad!.allclose(v2.grad!, rtol: 1e-5, atol: 1e-5), "∂/∂values differs");
    }

    [TestMethod]
    public void ValuesWithoutGradientGetNoGradientAndInputsStayUntouched()
    {
        var a = RandomPattern(50, 4, 3);
        using var scope = NewDisposeScope();
        var x = randn(50, 8).requires_grad_(true);
        var v = rand(a.EdgeCount);
        var before = x.detach().clone();
        CsrPropagation.Apply(a, v, x).sum().backward();
        Assert.IsNotNull(x.grad);
        Assert.IsNull(v.grad);
        Assert.IsTrue(x.detach().eq(before).all().item<bool>());
    }

    [TestMethod]
    public void ResultDoesNotDependOnThreadCount()
    {
        // Large enough (E ≥ 50k) for the kernels to go parallel.
        var a = RandomPattern(20_000, 8, 11);
        Assert.IsTrue(a.EdgeCount >= 50_000);
        int saved = get_num_threads();
        try
        {
            using var scope = NewDisposeScope();
            manual_seed(5);
            var x = randn(20_000, 32);
            var v = rand(a.EdgeCount);
            set_num_threads(1);
            var one = CsrPropagation.Apply(a, v, x);
            set_num_threads(2);
            var two = CsrPropagation.Apply(a, v, x);
            Assert.IsTrue(one.eq(two).all().item<bool>(), "the sums must be bitwise identical for any thread count");
        }
        finally { set_num_threads(saved); }
    }

    [TestMethod]
    public void WrongShapesAreRefusedWithTheExpectedSize()
    {
        var a = RandomPattern(10, 3, 1);
        using var scope = NewDisposeScope();
        var ex = Assert.ThrowsExactly<ArgumentException>(() => CsrPropagation.Apply(a, rand(a.EdgeCount), randn(9, 2)));
        StringAssert.Contains(ex.Message, "N = 10");
        ex = Assert.ThrowsExactly<ArgumentException>(() => CsrPropagation.Apply(a, rand(a.EdgeCount + 1), randn(10, 2)));
        StringAssert.Contains(ex.Message, a.EdgeCount.ToString());
    }
}
