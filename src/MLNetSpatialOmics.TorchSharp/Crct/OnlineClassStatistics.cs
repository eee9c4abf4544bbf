using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>
/// CRCT's running per-class feature statistics (Eqs. 5–6): for every pseudo-label c the mean μ_c, the covariance Σ_c
/// (its diagonal by default, Eq. 7; the full d×d matrix on request) and the cumulative count n_c. Each update merges a
/// batch's class moments (m_c, μ̂_c, Σ̂_c, population covariance) into the running ones:
/// μ ← (n·μ + m·μ̂)/(n + m), Σ ← (n·Σ + m·Σ̂)/(n + m) + n·m/(n + m)²·(μ − μ̂)(μ − μ̂)ᵀ, n ← n + m.
/// That is the exact pooled mean/covariance of all samples seen so far, so no batch-size bias creeps in.
/// Only classes present in the batch are touched; everything is detached from the autograd graph and kept in float64.
/// </summary>
public sealed class OnlineClassStatistics : IDisposable
{
    private Tensor _means;
    private Tensor _covariances;
    private Tensor _counts;

    public int Dimension { get; }
    /// <summary>True: full d×d covariances (C×d×d). False (default): per-dimension variances only (C×d).</summary>
    public bool FullCovariance { get; }
    public Device Device { get; }
    /// <summary>Number of class slots (the largest label seen + 1).</summary>
    public int ClassCount => (int)_counts.shape[0];

    /// <summary>Running means, C×d float64.</summary>
    public Tensor Means => _means;
    /// <summary>Running covariances: C×d (variances) or C×d×d (full), float64.</summary>
    public Tensor Covariances => _covariances;
    /// <summary>Cumulative sample counts n_c, length C float64 (0 for classes never seen).</summary>
    public Tensor Counts => _counts;

    public OnlineClassStatistics(int dimension, bool fullCovariance = false, Device? device = null)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the feature dimension must be at least 1.");
        Dimension = dimension;
        FullCovariance = fullCovariance;
        Device = device ?? CPU;
        _means = zeros(0, dimension, dtype: ScalarType.Float64, device: Device);
        _covariances = fullCovariance
            ? zeros(0, dimension, dimension, dtype: ScalarType.Float64, device: Device)
            : zeros(0, dimension, dtype: ScalarType.Float64, device: Device);
        _counts = zeros(0, dtype: ScalarType.Float64, device: Device);
    }

    /// <summary>Forgets every class (e.g. when the pseudo-labels are recomputed and class indices change meaning).</summary>
    public void Reset()
    {
        var covShape = FullCovariance ? new long[] { 0, Dimension, Dimension } : new long[] { 0, Dimension };
        Replace(zeros(0, Dimension, dtype: ScalarType.Float64, device: Device),
            zeros(covShape, dtype: ScalarType.Float64, device: Device), zeros(0, dtype: ScalarType.Float64, device: Device));
    }

    /// <summary>Merges one batch: <paramref name="embeddings"/> N×d, <paramref name="labels"/> length N (int64, ≥ 0).</summary>
    public void Update(Tensor embeddings, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (embeddings.dim() != 2 || embeddings.shape[1] != Dimension)
            throw new ArgumentException($"embeddings must be N×{Dimension}; got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        if (labels.dim() != 1 || labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException($"labels must have one entry per embedding row ({embeddings.shape[0]}); got [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (embeddings.shape[0] == 0) return;

        using var _ = no_grad();
        long minLabel, maxLabel;
        using (var lo = labels.min()) minLabel = lo.item<long>();
        using (var hi = labels.max()) maxLabel = hi.item<long>();
        if (minLabel < 0) throw new ArgumentException("pseudo-labels must be non-negative.", nameof(labels));
        Grow((int)maxLabel + 1);

        using var scope = NewDisposeScope();
        var x = embeddings.detach().to(Device).to_type(ScalarType.Float64);
        var y = labels.to(Device).to_type(ScalarType.Int64);

        int classes = ClassCount;
        // Class sums by scatter-add: O(N·d), where a one-hot product costs O(N·C·d) and an N×C matrix.
        var m = zeros(classes, dtype: ScalarType.Float64, device: Device).index_add_(0, y, ones(y.shape[0], dtype: ScalarType.Float64, device: Device), 1.0);
        var present = m.gt(0);
        var safeM = m.clamp_min(1);
        var batchMean = zeros(classes, Dimension, dtype: ScalarType.Float64, device: Device).index_add_(0, y, x, 1.0) / safeM.unsqueeze(1);
        // Centred on the batch's own class means: the second moment about the mean is better conditioned than E[x²] − μ².
        var centred = x - batchMean.index_select(0, y);
        var n = _counts;
        var total = n + m;
        var safeTotal = total.clamp_min(1);
        var oldWeight = n / safeTotal;
        var newWeight = m / safeTotal;
        var shiftWeight = n * m / safeTotal.square();
        var shift = _means - batchMean;

        var means = where(present.unsqueeze(1), oldWeight.unsqueeze(1) * _means + newWeight.unsqueeze(1) * batchMean, _means);
        Tensor covariances;
        if (!FullCovariance)
        {
            var batchVar = zeros(classes, Dimension, dtype: ScalarType.Float64, device: Device).index_add_(0, y, centred.mul_(centred), 1.0) / safeM.unsqueeze(1);
            var merged = oldWeight.unsqueeze(1) * _covariances + newWeight.unsqueeze(1) * batchVar + shiftWeight.unsqueeze(1) * shift.square();
            covariances = where(present.unsqueeze(1), merged, _covariances);
        }
        else
        {
            // One class at a time keeps the temporary memory at N×d instead of C×N×d.
            covariances = _covariances.clone();
            var presentClasses = present.nonzero().squeeze(1).data<long>().ToArray();
            foreach (var c in presentClasses)
            {
                using var inner = NewDisposeScope();
                var rows = y.eq(c).nonzero().squeeze(1);
                var members = centred.index_select(0, rows);
                double mc = members.shape[0];
                var batchCov = members.t().mm(members) / mc;
                var s = shift[c].unsqueeze(1);
                var merged = _covariances[c] * oldWeight[c] + batchCov * newWeight[c] + s.mm(s.t()) * shiftWeight[c];
                covariances[c].copy_(merged);
            }
        }
        Replace(means.MoveToOuterDisposeScope(), covariances.MoveToOuterDisposeScope(), total.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// √diag(Σ_{y_i}) for every row's label (N×d float64), the σ of Eq. 7. Labels of classes never seen get zeros,
    /// so those spots are not perturbed.
    /// </summary>
    public Tensor StandardDeviations(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var y = labels.to(Device).to_type(ScalarType.Int64);
        var variances = FullCovariance ? _covariances.diagonal(0, 1, 2) : _covariances;
        var sd = GatherPerRow(variances.clamp_min(0).sqrt(), y);
        return sd.MoveToOuterDisposeScope();
    }

    /// <summary>Σ_{y_i} for every row (N×d×d float64; zeros for unseen labels). Requires <see cref="FullCovariance"/>.</summary>
    public Tensor CovariancesFor(Tensor labels)
    {
        if (!FullCovariance) throw new InvalidOperationException("full covariances were not kept; construct with fullCovariance: true.");
        using var scope = NewDisposeScope();
        var y = labels.to(Device).to_type(ScalarType.Int64);
        return GatherPerRow(_covariances, y).MoveToOuterDisposeScope();
    }

    private Tensor GatherPerRow(Tensor perClass, Tensor y)
    {
        if (y.numel() == 0) return zeros(new long[] { 0 }.Concat(perClass.shape.Skip(1)).ToArray(), dtype: ScalarType.Float64, device: Device);
        long maxLabel = y.max().item<long>();
        if (y.min().item<long>() < 0) throw new ArgumentException("pseudo-labels must be non-negative.", nameof(y));
        if (maxLabel < ClassCount) return perClass.index_select(0, y);
        // Labels beyond the known classes: pad with zero statistics.
        var padShape = new long[] { maxLabel + 1 - ClassCount }.Concat(perClass.shape.Skip(1)).ToArray();
        var padded = cat(new[] { perClass, zeros(padShape, dtype: ScalarType.Float64, device: Device) }, 0);
        return padded.index_select(0, y);
    }

    private void Grow(int classes)
    {
        int current = ClassCount;
        if (classes <= current) return;
        int extra = classes - current;
        var covShape = FullCovariance ? new long[] { extra, Dimension, Dimension } : new long[] { extra, Dimension };
        Replace(
            cat(new[] { _means, zeros(extra, Dimension, dtype: ScalarType.Float64, device: Device) }, 0),
            cat(new[] { _covariances, zeros(covShape, dtype: ScalarType.Float64, device: Device) }, 0),
            cat(new[] { _counts, zeros(extra, dtype: ScalarType.Float64, device: Device) }, 0));
    }

    // The running tensors outlive any dispose scope the caller (e.g. a training epoch) may have open.
    private void Replace(Tensor means, Tensor covariances, Tensor counts)
    {
        means.DetachFromDisposeScope();
        covariances.DetachFromDisposeScope();
        counts.DetachFromDisposeScope();
        _means.Dispose();
        _covariances.Dispose();
        _counts.Dispose();
        _means = means;
        _covariances = covariances;
        _counts = counts;
    }

    public void Dispose()
    {
        _means.Dispose();
        _covariances.Dispose();
        _counts.Dispose();
    }
}
