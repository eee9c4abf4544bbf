using System.Diagnostics;
using MLNetSpatialOmics.TorchSharp.Trsmi;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.Tests.Trainers.Trsmi;

[TestClass]
public class AlignmentTests
{
    private static (Tensor Q, Tensor K) RandomUnitRows(long n1, long n2, long d)
    {
        var q = nn.functional.normalize(randn(n1, d, dtype: ScalarType.Float64), p: 2, dim: 1);
        var k = nn.functional.normalize(randn(n2, d, dtype: ScalarType.Float64), p: 2, dim: 1);
        return (q, k);
    }

    /// <summary>softmax over each row's k largest logits, zero elsewhere, from the full N₁×N₂ matrix.</summary>
    private static Tensor DenseTopKSoftmax(Tensor q, Tensor k, int topK, double tau)
    {
        var logits = q.mm(k.t()) / tau;
        var (_, idx) = logits.topk(topK, dim: 1);
        var mask = zeros_like(logits).scatter_(1, idx, ones_like(idx, dtype: logits.dtype));
        var masked = where(mask.gt(0), logits, full_like(logits, double.NegativeInfinity));
        return masked.softmax(1);
    }

    [TestMethod]
    public void BlockwiseTopKEqualsDenseReference()
    {
        torch.manual_seed(21);
        var (q, k) = RandomUnitRows(37, 29, 5);
        var dense = DenseTopKSoftmax(q, k, 4, 2.0);
        using var s = SoftCorrespondence.TopK(q, k, 4, 2.0, blockRows: 5);
        var rebuilt = zeros(37, 29, dtype: ScalarType.Float64).scatter_(1, s.Indices, s.Weights);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(rebuilt, dense) < 1e-12);

        var z2 = randn(29, 3, dtype: ScalarType.Float64);
        var z1 = randn(37, 3, dtype: ScalarType.Float64);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(s.Multiply(z2), dense.mm(z2)) < 1e-12, "S·Z differs");
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(s.TransposeMultiply(z1), dense.t().mm(z1)) < 1e-12, "Sᵀ·Z differs");
    }

    [TestMethod]
    public void GradientsMatchTheDenseReference()
    {
        torch.manual_seed(22);
        var (q0, k0) = RandomUnitRows(16, 19, 4);
        var q = q0.clone().requires_grad_(true);
        var k = k0.clone().requires_grad_(true);
        var z = randn(19, 2, dtype: ScalarType.Float64);
        using (var s = SoftCorrespondence.TopK(q, k, 3, 0.5, blockRows: 4)) (s.Multiply(z) * z.narrow(0, 0, 16)).sum().backward();
        var gq = q.grad!.clone();
        var gk = k.grad!.clone();
        q.grad!.zero_();
        k.grad!.zero_();
        (DenseTopKSoftmax(q, k, 3, 0.5).mm(z) * z.narrow(0, 0, 16)).sum().backward();
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(gq, q.grad!) < 1e-12);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(gk, k.grad!) < 1e-12);
    }

    [TestMethod]
    [DoNotParallelize]
    public void LargeSectionNeverAllocatesAnNByNMatrix()
    {
        const long n = 16_384, d = 8;
        const double budgetMb = 256;   // one N×N float32 matrix would be 1,024 MB
        torch.manual_seed(23);
        var z1 = randn(n, d).requires_grad_(true);
        var z2 = randn(n, d).requires_grad_(true);
        var alignment = new CrossGraphAlignment(2, d, d, topK: 10, temperature: 2.0, blockRows: 512, nearIdentity: false);
        GC.Collect();
        long before = ResidentKilobytes("VmRSS:");
        bool reset = TryResetPeak();
        var sw = Stopwatch.StartNew();
        // Forward and backward, as in training: the autograd graph must not hold an N×N matrix either.
        var aligned = alignment.Forward(new[] { z1, z2 }, detachCrossTerms: false);
        (aligned[0].square().sum() + aligned[1].square().sum()).backward();
        sw.Stop();
        long peak = ResidentKilobytes("VmHWM:");
        Assert.AreEqual(n, aligned[0].shape[0]);
        Assert.AreEqual(n, aligned[1].shape[0]);
        Assert.IsFalse(aligned[1].isnan().any().item<bool>());
        Assert.IsTrue(z2.grad!.abs().sum().item<float>() > 0);
        if (!reset) Assert.Inconclusive("this kernel cannot reset the peak-RSS counter (/proc/self/clear_refs); peak not measured.");
        double grownMb = (peak - before) / 1024.0;
        Console.WriteLine($"alignment of {n} spots: {sw.Elapsed.TotalSeconds:F1} s, peak RSS growth {grownMb:F0} MB");
        Assert.IsTrue(grownMb < budgetMb, $"peak RSS grew by {grownMb:F0} MB (budget {budgetMb} MB)");
    }

    [TestMethod]
    public void WarmUpDetachesTheCrossTerms()
    {
        torch.manual_seed(24);
        // Random W_m, so the cross term reaches Z̃ (with the near-identity start its weight is zero at the first pass).
        var alignment = new CrossGraphAlignment(2, 4, 4, topK: 3, temperature: 2.0, nearIdentity: false);
        foreach (var warm in new[] { true, false })
        {
            var z1 = randn(12, 4).requires_grad_(true);
            var z2 = randn(12, 4).requires_grad_(true);
            var aligned = alignment.Forward(new[] { z1, z2 }, detachCrossTerms: warm);
            aligned[0].sum().backward();    // Z̃¹ depends on Z² only through the cross term S·Z².
            bool z2Gets = z2.grad is not null && z2.grad.abs().sum().item<float>() > 0;
            Assert.AreEqual(!warm, z2Gets, warm ? "Z² receives gradient during warm-up" : "Z² gets no gradient after warm-up");
            Assert.IsTrue(z1.grad!.abs().sum().item<float>() > 0);
        }
    }

    [TestMethod]
    public void ThreeModalitiesAverageThePairContexts()
    {
        torch.manual_seed(25);
        var alignment = new CrossGraphAlignment(3, 4, 3, topK: 2, temperature: 2.0, nearIdentity: false);
        var z = Enumerable.Range(0, 3).Select(_ => randn(10, 4)).ToArray();
        var aligned = alignment.Forward(z, detachCrossTerms: false);
        Assert.AreEqual(3, alignment.Pairs.Count);
        using var s01 = alignment.Correspondence(0, z[0], z[1]);
        using var s02 = alignment.Correspondence(1, z[0], z[2]);
        var context0 = (s01.Multiply(z[1]) + s02.Multiply(z[2])) / 2;
        var p = alignment.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var expected = cat(new[] { z[0], context0 }, 1).mm(p["projections.0.weight"].t()) + p["projections.0.bias"];
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(aligned[0], expected) < 1e-5);
    }

    [TestMethod]
    public void NearIdentityStartLeavesTheEmbeddingsUnchangedButLetsTheContextLearn()
    {
        torch.manual_seed(26);
        foreach (var (modalities, fixedSelf) in new[] { (2, false), (3, false), (2, true), (3, true) })
        {
            var alignment = new CrossGraphAlignment(modalities, 6, 4, topK: 3, temperature: 2.0, fixedSelfPath: fixedSelf);
            CollectionAssert.AreEqual(new double[modalities], alignment.ContextWeightNorms());
            var z = Enumerable.Range(0, modalities).Select(_ => randn(15, 6)).ToArray();
            var aligned = alignment.Forward(z, detachCrossTerms: false);
            for (int m = 0; m < modalities; m++)
                Assert.AreEqual(0.0, DenseGraphs.MaxAbsDifference(aligned[m], z[m]), 0.0, $"Z̃ of modality {m} differs from Z at the start");

            // The context half of W_m must still receive a gradient, or the alignment could never switch on.
            aligned.Select(a => a.square().sum()).Aggregate((a, b) => a + b).backward();
            var weight = alignment.named_parameters().Single(p => p.name == "projections.0.weight").parameter;
            Assert.IsTrue(weight.grad!.narrow(1, 6, 6).abs().sum().item<float>() > 0, "the context half of W_0 gets no gradient");
        }
    }

    [TestMethod]
    public void FixedSelfPathAddsTheProjectedContextToZ()
    {
        torch.manual_seed(27);
        // Random W_m (not the near-identity start), so the context term is non-zero and the formula is checked.
        var alignment = new CrossGraphAlignment(2, 4, 3, topK: 2, temperature: 2.0, nearIdentity: false, fixedSelfPath: true);
        var z = Enumerable.Range(0, 2).Select(_ => randn(10, 4).requires_grad_(true)).ToArray();
        var aligned = alignment.Forward(z, detachCrossTerms: false);
        using var s01 = alignment.Correspondence(0, z[0], z[1]);
        var p = alignment.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var w0 = p["projections.0.weight"];
        var expected0 = z[0] + s01.Multiply(z[1]).mm(w0.narrow(1, 4, 4).t()) + p["projections.0.bias"];
        var expected1 = z[1] + s01.TransposeMultiply(z[0]).mm(p["projections.1.weight"].narrow(1, 4, 4).t()) + p["projections.1.bias"];
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(aligned[0], expected0) < 1e-5);
        Assert.IsTrue(DenseGraphs.MaxAbsDifference(aligned[1], expected1) < 1e-5);

        // The self block is not used, so it learns nothing; the context block does.
        (aligned[0].square().sum() + aligned[1].square().sum()).backward();
        Assert.AreEqual(0f, w0.grad!.narrow(1, 0, 4).abs().sum().item<float>());
        Assert.IsTrue(w0.grad!.narrow(1, 4, 4).abs().sum().item<float>() > 0);
        CollectionAssert.AreEqual(new[] { 2, 2 }, alignment.ContextWeightNorms().Select(v => v > 0 ? 2 : 0).ToArray());
    }

    private static long ResidentKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }

    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
