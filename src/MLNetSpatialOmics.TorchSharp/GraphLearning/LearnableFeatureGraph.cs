using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// PRAGA's learnable feature graph, kept sparse: one learnable weight per edge of the (symmetric, self-looped) feature
/// kNN support, initialised from the normalised feature graph. Each forward symmetrises ((P + Pᵀ)/2), applies ReLU,
/// adds the identity and renormalises by degree.
/// <para>
/// Why per-edge weights and not an edge MLP: PRAGA's dense N×N parameter starts at zero off the kNN support, and there
/// ReLU's gradient is zero, so those entries never move; restricting the parameter to the support is therefore the same
/// model at O(E) cost, not an approximation. A new section has no learned weights: it uses this graph at its
/// initial value (<see cref="InitialNormalizedValues"/>), which keeps inference inductive without a second model.
/// </para>
/// An EMA copy of the normalised graph (α = 0.9) is the reference of a Frobenius regulariser over the edges.
/// <para>
/// Mini-batches see a subset of the edges: their values use degrees refreshed once per epoch
/// (<see cref="RefreshDegrees"/>, no gradient through the degrees — the exact degree of a column node would need all of
/// that node's edges), the regulariser is estimated from the subset, and the EMA moves only on the edges seen.
/// </para>
/// </summary>
public sealed class LearnableFeatureGraph : nn.Module
{
    private readonly Parameter weights;
    private readonly SparseGraph _support;
    private readonly Tensor _reverse;
    private readonly Tensor _diagonal;
    private Tensor _reference;
    private Tensor? _inverseRootDegree;
    private Tensor? _initialReference;
    private Tensor? _selfLoops;   // self-loops per row (constant): the "+ I" part of every degree

    public SparseGraph Support => _support;

    /// <param name="normalizedFeatureGraph">D^-½(A+I)D^-½ of the feature kNN graph (symmetric support with self-loops).</param>
    public LearnableFeatureGraph(SparseGraph normalizedFeatureGraph) : base(nameof(LearnableFeatureGraph))
    {
        _support = normalizedFeatureGraph;
        _reverse = normalizedFeatureGraph.ReverseEdgeIndex();
        _diagonal = normalizedFeatureGraph.DiagonalMask();
        weights = new Parameter(normalizedFeatureGraph.Values.clone());
        _reference = normalizedFeatureGraph.Values.clone();
        RegisterComponents();
    }

    public Parameter Weights => weights;

    /// <summary>The EMA reference (no gradient), one value per support edge.</summary>
    public Tensor Reference => _reference;

    /// <summary>normalise(ReLU((P + Pᵀ)/2) + I) as per-edge values on the support (differentiable in P).</summary>
    public Tensor NormalizedValues() => Normalize(weights);

    /// <summary>The same map applied to the initial (unlearned) weights: what a new section uses.</summary>
    public Tensor InitialNormalizedValues()
    {
        using var _ = no_grad();
        return Normalize(_support.Values);
    }

    /// <summary>
    /// <see cref="InitialNormalizedValues"/> computed once and owned by this graph (callers must not dispose it): a
    /// constant regulariser reference that mini-batches index on every step, where recomputing it cost a pass over
    /// every edge per block.
    /// </summary>
    public Tensor InitialReference => _initialReference ??= InitialNormalizedValues().DetachFromDisposeScope();

    private Tensor Normalize(Tensor p)
    {
        using var scope = NewDisposeScope();
        var symmetric = (p + p.index_select(0, _reverse)) * 0.5;
        var withSelf = nn.functional.relu(symmetric) + _diagonal;
        var result = GraphNormalization.Symmetric(_support.Rows, _support.Cols, withSelf, _support.NodeCount);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The learned graph on a block's induced support (Cluster-GCN): the edges <paramref name="edgeIds"/> symmetrised
    /// with their global reverse edges (an induced support is symmetric, so those lie in the block too), ReLU, + I,
    /// then normalised with the block's own degrees over <paramref name="inducedSupport"/>'s local rows and columns.
    /// Differentiable in the weights; a block holding every edge gives <see cref="NormalizedValues"/>.
    /// </summary>
    /// <param name="edgeIds">global ids of the block's edges, in <paramref name="inducedSupport"/>'s edge order.</param>
    public Tensor InducedValues(Tensor edgeIds, SparseGraph inducedSupport) => NormalizeInduced(weights, edgeIds, inducedSupport);

    /// <summary><see cref="InducedValues"/> at the initial (unlearned) weights: what a block of a new section uses.</summary>
    public Tensor InitialInducedValues(Tensor edgeIds, SparseGraph inducedSupport)
    {
        using var _ = no_grad();
        return NormalizeInduced(_support.Values, edgeIds, inducedSupport);
    }

    private Tensor NormalizeInduced(Tensor p, Tensor edgeIds, SparseGraph inducedSupport)
    {
        ArgumentNullException.ThrowIfNull(edgeIds);
        ArgumentNullException.ThrowIfNull(inducedSupport);
        if (edgeIds.shape[0] != inducedSupport.EdgeCount)
            throw new ArgumentException($"{edgeIds.shape[0]} edge ids for an induced support of {inducedSupport.EdgeCount} edges.", nameof(edgeIds));
        using var scope = NewDisposeScope();
        var own = p.index_select(0, edgeIds);
        var reverse = p.index_select(0, _reverse.index_select(0, edgeIds));
        var withSelf = nn.functional.relu((own + reverse) * 0.5) + _diagonal.index_select(0, edgeIds);
        var result = GraphNormalization.Symmetric(inducedSupport.Rows, inducedSupport.Cols, withSelf, inducedSupport.NodeCount);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>‖Â − EMA‖_F over the support (entries off the support are zero in both).</summary>
    public Tensor FrobeniusToReference(Tensor normalizedValues) =>
        (normalizedValues - _reference).square().sum().add(1e-20).sqrt();

    /// <summary>
    /// Normalised values of the edges <paramref name="edgeIds"/> (all edges, exactly normalised, when null); a subset
    /// is normalised with the degrees of the last <see cref="RefreshDegrees"/>.
    /// </summary>
    public Tensor ValuesFor(Tensor? edgeIds)
    {
        if (edgeIds is null) return NormalizedValues();
        if (_inverseRootDegree is null) RefreshDegrees();
        return BlockEdgeValues.Supports(weights)
            ? BlockEdgeValues.Apply(weights, edgeIds, _reverse, _diagonal, _support.Rows, _support.Cols, _inverseRootDegree!, TrustsSymmetricWeights)
            : ValuesForWithTorchOps(edgeIds);
    }

    /// <summary>
    /// Set by a trainer that changes the weights only through gradient steps (<see cref="SgdStepper"/>) from exactly
    /// symmetric initial weights (<see cref="WeightsAreSymmetric"/>). Such weights stay symmetric bit for bit: the
    /// loss sees w only through (w_e + w_rev(e)) / 2, so both edges of a pair get the same gradient (a + b = b + a in
    /// floating point), and SGD with momentum and weight decay acts elementwise. <see cref="ValuesFor"/> then skips the
    /// random read of each reverse weight (a 1M-spot CRCT epoch 8.7 → 7.9 s); its values are unchanged.
    /// Code that writes <see cref="Weights"/> directly must not set it.
    /// </summary>
    internal bool TrustsSymmetricWeights { get; set; }

    /// <summary>Whether w_rev(e) = w_e bit for bit for every edge (one pass over all edges).</summary>
    internal bool WeightsAreSymmetric()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return weights.index_select(0, _reverse).equal(weights).all().item<bool>();
    }

    /// <summary><see cref="ValuesFor"/> through torch ops: other devices and dtypes (and the reference in tests).</summary>
    internal Tensor ValuesForWithTorchOps(Tensor edgeIds)
    {
        if (_inverseRootDegree is null) RefreshDegrees();
        using var scope = NewDisposeScope();
        var p = weights.index_select(0, edgeIds);
        var q = weights.index_select(0, _reverse.index_select(0, edgeIds));
        var withSelf = nn.functional.relu((p + q) * 0.5) + _diagonal.index_select(0, edgeIds);
        var scale = _inverseRootDegree!.index_select(0, _support.Rows.index_select(0, edgeIds))
            * _inverseRootDegree!.index_select(0, _support.Cols.index_select(0, edgeIds));
        return (withSelf * scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// grad ← grad + ½·<paramref name="weightDecay"/>·w on the edges of <paramref name="rows"/> and on their reverse
    /// edges. Over blocks whose rows partition the nodes, every edge gets ½ from its own row's block and ½ from its
    /// column's, i.e. one full decay; within a call an edge and its reverse get the same amounts, so symmetric weights
    /// stay symmetric bit for bit (<see cref="TrustsSymmetricWeights"/>).
    /// </summary>
    internal void AddDecayOnRows(IReadOnlyList<int> rows, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int r in rows)
            if ((uint)r >= (uint)_support.NodeCount)
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"a row of a {_support.NodeCount}-node graph.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        if (weights.grad is null) weights.grad = zeros_like(weights);
        var grad = weights.grad;
        var rowPtr = _support.Structure.RowPtr;
        if (BlockEdgeValues.Supports(weights) && BlockEdgeValues.Supports(grad) && grad.is_contiguous())
            BlockEdgeDecay.AddOnCpu(grad, weights.detach().contiguous(), _reverse, rowPtr, rows, 0.5 * weightDecay, TrustsSymmetricWeights);
        else AddDecayOnRowsWithTorchOps(grad, rows, weightDecay);
    }

    /// <summary><see cref="AddDecayOnRows"/> through torch ops: other devices and dtypes (and the reference in tests).</summary>
    internal void AddDecayOnRowsWithTorchOps(Tensor grad, IReadOnlyList<int> rows, double weightDecay)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var rowPtr = _support.Structure.RowPtr;
        long count = 0;
        foreach (int r in rows) count += rowPtr[r + 1] - rowPtr[r];
        var ids = new long[count];
        long k = 0;
        foreach (int r in rows)
            for (long e = rowPtr[r]; e < rowPtr[r + 1]; e++) ids[k++] = e;
        var w = weights.detach();
        var own = tensor(ids, device: w.device);
        var reverse = _reverse.index_select(0, own);
        grad.index_add_(0, own, w.index_select(0, own), 0.5 * weightDecay);
        grad.index_add_(0, reverse, w.index_select(0, reverse), 0.5 * weightDecay);
    }

    /// <summary>Recomputes D^-½ of the current learned graph (no gradient); mini-batches normalise with it.</summary>
    public void RefreshDegrees()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        // Row i's degree is Σ relu((w_e + w_rev(e))/2) + 1. Gathering w at the reverse edges is a random read over every
        // edge, the slowest pass of an epoch at a million spots; instead, the symmetric sums come from the row and
        // column sums of w (index_add into a node-sized vector), and relu is restored by taking back the pairs whose
        // mean is negative — only pairs holding a negative weight can be, usually few.
        var w = weights.detach();
        _selfLoops ??= zeros(_support.NodeCount, dtype: w.dtype, device: w.device)
            .index_add_(0, _support.Rows, _diagonal, 1.0).DetachFromDisposeScope();
        var degree = _selfLoops.clone()
            .index_add_(0, _support.Rows, w, 0.5)
            .index_add_(0, _support.Cols, w, 0.5);
        var negative = w.lt(0).nonzero().squeeze(1);
        if (negative.shape[0] > 0)
        {
            var (pairs, _, _) = cat(new[] { negative, _reverse.index_select(0, negative) }, 0).unique();
            var mean = (w.index_select(0, pairs) + w.index_select(0, _reverse.index_select(0, pairs))) * 0.5;
            degree.index_add_(0, _support.Rows.index_select(0, pairs), mean.clamp_max(0), -1.0);
        }
        var inverseRoot = GraphNormalization.InverseRoot(degree);
        _inverseRootDegree?.Dispose();
        _inverseRootDegree = inverseRoot.DetachFromDisposeScope();
    }

    /// <summary>
    /// ‖Â − EMA‖_F estimated from the edges <paramref name="edgeIds"/> (exact when null): the squared distance on the
    /// subset scaled up to the whole support.
    /// </summary>
    public Tensor FrobeniusToReference(Tensor values, Tensor? edgeIds)
    {
        if (edgeIds is null) return FrobeniusToReference(values);
        using var scope = NewDisposeScope();
        double scale = (double)_support.EdgeCount / Math.Max(1, edgeIds.shape[0]);
        var distance = (values - _reference.index_select(0, edgeIds)).square().sum().mul(scale).add(1e-20).sqrt();
        return distance.MoveToOuterDisposeScope();
    }

    /// <summary>EMA ← α·EMA + (1 − α)·Â on the edges <paramref name="edgeIds"/> (all when null), detached.</summary>
    public void UpdateReference(Tensor values, double alpha, Tensor? edgeIds)
    {
        if (edgeIds is null) { UpdateReference(values, alpha); return; }
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var moved = _reference.index_select(0, edgeIds) * alpha + values.detach() * (1 - alpha);
        _reference.index_copy_(0, edgeIds, moved);
    }

    /// <summary>EMA ← α·EMA + (1 − α)·Â (detached).</summary>
    public void UpdateReference(Tensor normalizedValues, double alpha)
    {
        using var _ = no_grad();
        var updated = (_reference * alpha + normalizedValues.detach() * (1 - alpha)).DetachFromDisposeScope();
        _reference.Dispose();
        _reference = updated;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reverse.Dispose();
            _diagonal.Dispose();
            _reference.Dispose();
            _inverseRootDegree?.Dispose();
            _initialReference?.Dispose();
            _selfLoops?.Dispose();
        }
        base.Dispose(disposing);
    }
}
