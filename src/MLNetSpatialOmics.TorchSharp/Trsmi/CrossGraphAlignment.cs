using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// Temperature-controlled soft cross-graph alignment of M modality embeddings.
/// <para>
/// For each pair (a, b), a &lt; b, with its own W_q, W_k: S_ab = softmax(norm(Z_a·W_q)·norm(Z_b·W_k)ᵀ/τ), row-sparsified
/// to the top k (<see cref="SoftCorrespondence"/>). Modality a receives S_ab·Z_b and b receives S_abᵀ·Z_a.
/// </para>
/// <para>
/// Combining pairs (three modalities): each modality's aligned context is the mean of the contexts it receives from
/// its M − 1 partners, and Z̃_m = [Z_m ‖ context_m]·W_m with W_m: 2d → d. For two modalities this is exactly the
/// paper's Z̃¹ = [Z¹ ‖ S·Z²]W₁, Z̃² = [Z² ‖ Sᵀ·Z¹]W₂; the mean keeps the context's scale independent of M.
/// With one modality there is nothing to align and Z̃ = Z.
/// </para>
/// <para>
/// Initialisation (the paper is silent): with <c>nearIdentity</c> each W_m starts as [I; 0] with zero bias, so
/// Z̃_m = Z_m at the first pass and the aligned context enters only as far as the loss pulls its half of W_m away
/// from zero — the same conservative start as the RPR encoder's zero-initialised Δ. PyTorch's default (Kaiming-
/// uniform) W_m instead replaces Z_m by a random mix of Z_m and a context whose correspondences come from random
/// W_q, W_k; on the triplet simulation that start cost ≈ 0.2 ARI (README, TRSMI section).
/// </para>
/// During warm-up the cross terms are detached: S and the contexts are computed from Z.detach(), so Z_a is updated
/// only through its own half of [Z_a ‖ ·] (W_q, W_k, W_m still learn).
/// </summary>
public sealed class CrossGraphAlignment : nn.Module
{
    private readonly ModuleList<Linear> queries;
    private readonly ModuleList<Linear> keys;
    private readonly ModuleList<Linear> projections;
    private readonly (int A, int B)[] _pairs;
    private readonly long _latentDim;

    public int ModalityCount { get; }
    public int TopK { get; }
    public double Temperature { get; }
    public int BlockRows { get; }

    public bool NearIdentity { get; }
    /// <summary>Self block of W_m held at I: Z̃_m = Z_m + context·W_m,ctx + b_m (only the context half learns).</summary>
    public bool FixedSelfPath { get; }

    public CrossGraphAlignment(int modalityCount, long latentDim, long alignmentDim, int topK, double temperature, int blockRows = 512,
        bool nearIdentity = true, bool fixedSelfPath = false)
        : base(nameof(CrossGraphAlignment))
    {
        if (modalityCount < 1) throw new ArgumentOutOfRangeException(nameof(modalityCount), modalityCount, "need at least one modality.");
        if (topK < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k must be at least 1.");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "τ must be positive.");
        ModalityCount = modalityCount;
        TopK = topK;
        Temperature = temperature;
        BlockRows = blockRows;
        NearIdentity = nearIdentity;
        FixedSelfPath = fixedSelfPath;
        _latentDim = latentDim;
        _pairs = Enumerable.Range(0, modalityCount)
            .SelectMany(a => Enumerable.Range(a + 1, modalityCount - a - 1).Select(b => (a, b))).ToArray();
        queries = new ModuleList<Linear>();
        keys = new ModuleList<Linear>();
        projections = new ModuleList<Linear>();
        foreach (var _ in _pairs)
        {
            queries.Add(nn.Linear(latentDim, alignmentDim, hasBias: false));
            keys.Add(nn.Linear(latentDim, alignmentDim, hasBias: false));
        }
        if (modalityCount > 1)
            for (int m = 0; m < modalityCount; m++) projections.Add(nn.Linear(2 * latentDim, latentDim));
        // Overwritten after construction so the random stream (and every other module's initial weights) is the same
        // whichever initialisation is chosen.
        if (nearIdentity)
            using (no_grad())
                foreach (var projection in projections)
                {
                    projection.weight!.zero_();
                    projection.weight!.narrow(1, 0, latentDim).copy_(eye(latentDim));
                    projection.bias!.zero_();
                }
        RegisterComponents();
    }

    /// <summary>‖W_m,ctx‖_F per modality: how far the aligned context has entered Z̃_m (0 at the near-identity start).</summary>
    public double[] ContextWeightNorms()
    {
        using var _ = no_grad();
        return projections.Select(p => (double)p.weight!.narrow(1, _latentDim, _latentDim).norm().item<float>()).ToArray();
    }

    /// <summary>The correspondence of pair (a, b) for diagnostics and tests (caller disposes).</summary>
    public SoftCorrespondence Correspondence(int pair, Tensor za, Tensor zb)
    {
        using var scope = NewDisposeScope();
        var q = nn.functional.normalize(queries[pair].forward(za), p: 2, dim: 1);
        var k = nn.functional.normalize(keys[pair].forward(zb), p: 2, dim: 1);
        var s = SoftCorrespondence.TopK(q, k, TopK, Temperature, BlockRows);
        s.Weights.MoveToOuterDisposeScope();
        s.Indices.MoveToOuterDisposeScope();
        return s;
    }

    public IReadOnlyList<(int A, int B)> Pairs => _pairs;

    /// <summary>Z̃_m for every modality.</summary>
    public Tensor[] Forward(IReadOnlyList<Tensor> latents, bool detachCrossTerms)
    {
        if (latents.Count != ModalityCount)
            throw new ArgumentException($"expected {ModalityCount} modality embeddings, got {latents.Count}.", nameof(latents));
        if (ModalityCount == 1) return new[] { latents[0].alias() };
        using var scope = NewDisposeScope();
        var source = detachCrossTerms ? latents.Select(z => z.detach()).ToArray() : latents.ToArray();
        var contexts = new Tensor?[ModalityCount];
        for (int p = 0; p < _pairs.Length; p++)
        {
            var (a, b) = _pairs[p];
            using var s = Correspondence(p, source[a], source[b]);
            var toA = s.Multiply(source[b]);
            var toB = s.TransposeMultiply(source[a]);
            contexts[a] = contexts[a] is null ? toA : contexts[a]! + toA;
            contexts[b] = contexts[b] is null ? toB : contexts[b]! + toB;
        }
        var result = new Tensor[ModalityCount];
        for (int m = 0; m < ModalityCount; m++)
        {
            var context = contexts[m]! / (ModalityCount - 1);
            result[m] = FixedSelfPath
                ? (latents[m] + nn.functional.linear(context, projections[m].weight!.narrow(1, _latentDim, _latentDim), projections[m].bias)).MoveToOuterDisposeScope()
                : projections[m].forward(cat(new[] { latents[m], context }, 1)).MoveToOuterDisposeScope();
        }
        return result;
    }
}
