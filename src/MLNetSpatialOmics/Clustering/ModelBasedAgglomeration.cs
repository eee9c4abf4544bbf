using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Clustering;

/// <summary>
/// Model-based hierarchical agglomeration for the unconstrained Gaussian model ("VVV"), the criterion of mclust's
/// <c>hcVVV</c> (Banfield &amp; Raftery; Fraley 1998): a group of n_g points with scatter W_g and trace t_g costs
/// n_g·log(β(t_g + α)/n_g) while n_g ≤ d and n_g·log(|W_g/n_g| + β(t_g + α)/n_g) beyond; each step merges the pair
/// whose merge raises the total cost least. α = tr(scatter of data/√(n·d)), β = 1, as mclust sets them. Ties go to the
/// last pair in mclust's scan order, and group slots are renumbered as mclust does (the last group moves into the
/// slot freed by a merge), so the same merges are taken when the arithmetic agrees.
/// Memory O(n²/2) doubles for the pair costs: run it on a subset of at most a few thousand rows.
/// </summary>
internal sealed class ModelBasedAgglomeration
{
    private readonly int _n, _p;
    private readonly double _alpha, _beta = 1.0, _abLog;
    private readonly double[][] _mean;
    private readonly double[]?[] _scatter;
    private readonly double[] _trace, _term;
    private readonly int[] _count;
    private readonly List<int>[] _members;
    private readonly double[] _d;
    // Per column j of the packed cost triangle: the smallest cost d(i, j) over i < j and the last i reaching it, so a
    // merge step scans n columns instead of n²/2 pairs while keeping mclust's "last minimum in packed order" rule.
    private readonly double[] _colMin;
    private readonly int[] _colArg;
    private readonly double[] _scratchW, _scratchChol, _diff;

    private ModelBasedAgglomeration(DenseMatrix z)
    {
        _n = z.Rows;
        _p = z.Cols;
        _alpha = Math.Max(TraceOfScatter(z) / ((double)_n * _p), 2.220446049250313e-16);
        _abLog = Math.Log(_beta * _alpha);
        _mean = new double[_n][];
        _scatter = new double[_n][];
        _trace = new double[_n];
        _term = new double[_n];
        _count = new int[_n];
        _members = new List<int>[_n];
        for (int i = 0; i < _n; i++)
        {
            _mean[i] = z.RowReadOnly(i).ToArray();
            _count[i] = 1;
            _term[i] = _abLog;
            _members[i] = new List<int> { i };
        }
        _d = new double[(long)_n * (_n - 1) / 2];
        _colMin = new double[_n];
        _colArg = new int[_n];
        _scratchW = new double[_p * _p];
        _scratchChol = new double[_p * _p];
        _diff = new double[_p];
    }

    private static double TraceOfScatter(DenseMatrix z)
    {
        double total = 0;
        for (int j = 0; j < z.Cols; j++)
        {
            double mean = 0;
            for (int i = 0; i < z.Rows; i++) mean += z[i, j];
            mean /= z.Rows;
            for (int i = 0; i < z.Rows; i++) { double t = z[i, j] - mean; total += t * t; }
        }
        return total;
    }

    /// <summary>
    /// Agglomerates the rows of <paramref name="z"/> (already transformed, see <see cref="SvdTransform"/>) down to
    /// the smallest of <paramref name="groupCounts"/> and returns the partition at each requested count, labelled
    /// 0.. in order of first appearance (mclust's <c>hclass</c> + <c>partconv</c>).
    /// </summary>
    public static Dictionary<int, int[]> Partitions(DenseMatrix z, IEnumerable<int> groupCounts)
    {
        var wanted = new HashSet<int>(groupCounts);
        if (wanted.Count == 0) throw new ArgumentException("no group count requested.");
        if (z.Cols < 2) throw new ArgumentException("model-based agglomeration (VVV) needs at least 2 dimensions.");
        int n = z.Rows;
        foreach (var g in wanted)
            if (g < 1 || g > n) throw new ArgumentOutOfRangeException(nameof(groupCounts), g, $"a partition into {g} groups of {n} rows is impossible.");
        var hc = new ModelBasedAgglomeration(z);
        var result = new Dictionary<int, int[]>();
        int minG = wanted.Min();
        hc.InitialCosts();
        int lg = n;
        if (wanted.Contains(lg)) result[lg] = hc.Labels(lg);
        while (lg > minG)
        {
            var (iopt, jopt) = hc.Best(lg);
            hc.Merge(iopt, jopt, lg);
            lg--;
            if (lg > 1) hc.UpdateCosts(iopt, lg);
            if (wanted.Contains(lg)) result[lg] = hc.Labels(lg);
        }
        return result;
    }

    private static long Index(int i, int j) => (long)j * (j - 1) / 2 + i; // i < j

    private void InitialCosts()
    {
        for (int j = 1; j < _n; j++)
        {
            for (int i = 0; i < j; i++) _d[Index(i, j)] = PairCost(i, j, false, out _, out _);
            RecomputeColumn(j);
        }
    }

    private void RecomputeColumn(int j)
    {
        long o = Index(0, j);
        double m = _d[o];
        int arg = 0;
        for (int i = 1; i < j; i++)
            if (_d[o + i] <= m) { m = _d[o + i]; arg = i; }
        _colMin[j] = m;
        _colArg[j] = arg;
    }

    /// <summary>Entry (r, j) of column j has just been set; keep the column's minimum and its last position.</summary>
    private void ColumnEntryChanged(int r, int j)
    {
        double v = _d[Index(r, j)];
        if (v < _colMin[j] || (v == _colMin[j] && r > _colArg[j])) { _colMin[j] = v; _colArg[j] = r; }
        else if (r == _colArg[j] && v > _colMin[j]) RecomputeColumn(j);
    }

    private (int, int) Best(int lg)
    {
        double dopt = _colMin[1];
        int jopt = 1;
        for (int j = 2; j < lg; j++)
            if (_colMin[j] <= dopt) { dopt = _colMin[j]; jopt = j; }
        return (_colArg[jopt], jopt);
    }

    private void Merge(int i, int j, int lg)
    {
        PairCost(i, j, true, out double trace, out double term);
        int ni = _count[i], nj = _count[j], nij = ni + nj;
        var merged = new double[_p * _p];
        Array.Copy(_scratchW, merged, merged.Length);
        var mean = new double[_p];
        for (int a = 0; a < _p; a++) mean[a] = (ni * _mean[i][a] + nj * _mean[j][a]) / nij;
        _mean[i] = mean;
        _scatter[i] = merged;
        _trace[i] = trace;
        _term[i] = term;
        _count[i] = nij;
        _members[i].AddRange(_members[j]);

        int last = lg - 1;
        if (j != last)
        {
            _mean[j] = _mean[last];
            _scatter[j] = _scatter[last];
            _trace[j] = _trace[last];
            _term[j] = _term[last];
            _count[j] = _count[last];
            _members[j] = _members[last];
            for (int k = 0; k < last; k++)
            {
                if (k == j) continue;
                if (k < j) _d[Index(k, j)] = _d[Index(k, last)];
                else { _d[Index(j, k)] = _d[Index(k, last)]; ColumnEntryChanged(j, k); }
            }
            if (j > 0) RecomputeColumn(j);
        }
        _scatter[last] = null;
        _members[last] = null!;
    }

    private void UpdateCosts(int iold, int lg)
    {
        for (int k = 0; k < lg; k++)
        {
            if (k == iold) continue;
            if (k < iold) _d[Index(k, iold)] = PairCost(iold, k, false, out _, out _);
            else { _d[Index(iold, k)] = PairCost(iold, k, false, out _, out _); ColumnEntryChanged(iold, k); }
        }
        if (iold > 0) RecomputeColumn(iold);
    }

    /// <summary>Cost increase of merging groups a and b; the merged scatter is left in the scratch buffer when needed or asked for.</summary>
    private double PairCost(int a, int b, bool formScatter, out double trace, out double term)
    {
        int na = _count[a], nb = _count[b], nab = na + nb;
        double c = (double)na * nb / nab;
        double between = 0;
        for (int t = 0; t < _p; t++) { _diff[t] = _mean[a][t] - _mean[b][t]; between += _diff[t] * _diff[t]; }
        trace = _trace[a] + _trace[b] + c * between;
        double termA = na == 1 ? _abLog : _term[a], termB = nb == 1 ? _abLog : _term[b];
        if (nab <= _p)
        {
            term = nab * Math.Log(_beta * (trace + _alpha) / nab);
            if (formScatter) FormScatter(a, b, c);
            return term - (termA + termB);
        }
        FormScatter(a, b, c);
        term = Term(nab, trace);
        return term - (termA + termB);
    }

    private void FormScatter(int a, int b, double c)
    {
        var wa = _scatter[a];
        var wb = _scatter[b];
        for (int r = 0; r < _p; r++)
        {
            double cr = c * _diff[r];
            for (int s = 0; s < _p; s++)
            {
                int t = r * _p + s;
                _scratchW[t] = (wa is null ? 0 : wa[t]) + (wb is null ? 0 : wb[t]) + cr * _diff[s];
            }
        }
    }

    private double Term(int l, double trace)
    {
        if (trace == 0) return l * Math.Log(_alpha * _beta / l);
        Array.Copy(_scratchW, _scratchChol, _scratchW.Length);
        double detlog;
        if (DenseLinearAlgebra.Cholesky(_scratchChol, _p))
            detlog = 2 * DenseLinearAlgebra.HalfLogDet(_scratchChol, _p) - _p * Math.Log(l);
        else detlog = double.NegativeInfinity;
        double ratio = _beta * (trace + _alpha) / l;
        double value;
        if (double.IsNegativeInfinity(detlog)) value = Math.Log(ratio);
        else if (detlog <= 0) value = Math.Log(Math.Exp(detlog) + ratio);
        else value = Math.Log(1 + Math.Exp(-detlog) * ratio) + detlog;
        return l * value;
    }

    private int[] Labels(int lg)
    {
        var slot = new int[_n];
        for (int s = 0; s < lg; s++) foreach (var i in _members[s]) slot[i] = s;
        // Number groups in order of first appearance (mclust partconv(consec = TRUE)).
        var map = new Dictionary<int, int>();
        var labels = new int[_n];
        for (int i = 0; i < _n; i++)
        {
            if (!map.TryGetValue(slot[i], out int l)) { l = map.Count; map[slot[i]] = l; }
            labels[i] = l;
        }
        return labels;
    }

    /// <summary>
    /// mclust's hcUse = "SVD" transform: centre and scale each column (sd with n − 1), drop non-finite columns, then
    /// Z = X·V·diag(1/√s) with X = U·diag(s)·Vᵀ (computed from the eigen-decomposition of XᵀX).
    /// </summary>
    public static DenseMatrix SvdTransform(DenseMatrix data)
    {
        int n = data.Rows, p = data.Cols;
        var keep = new List<int>();
        var mean = new double[p];
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += data[i, j];
            m /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) { double t = data[i, j] - m; ss += t * t; }
            mean[j] = m;
            sd[j] = Math.Sqrt(ss / (n - 1));
            if (sd[j] > 0 && double.IsFinite(sd[j])) keep.Add(j);
        }
        int q = keep.Count;
        var x = new DenseMatrix(n, q);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < q; c++) x[i, c] = (data[i, keep[c]] - mean[keep[c]]) / sd[keep[c]];
        var xtx = new double[q * q];
        for (int i = 0; i < n; i++)
        {
            var row = x.RowReadOnly(i);
            for (int a = 0; a < q; a++)
                for (int b = 0; b <= a; b++) xtx[a * q + b] += row[a] * row[b];
        }
        for (int a = 0; a < q; a++) for (int b = 0; b < a; b++) xtx[b * q + a] = xtx[a * q + b];
        var (values, vectors) = DenseLinearAlgebra.SymmetricEigen(xtx, q);
        int r = Math.Min(q, n);
        var cols = Enumerable.Range(0, r).Where(c => values[c] > 0).ToArray();
        var z = new DenseMatrix(n, cols.Length);
        for (int i = 0; i < n; i++)
        {
            var row = x.RowReadOnly(i);
            for (int c = 0; c < cols.Length; c++)
            {
                double s = 0;
                for (int a = 0; a < q; a++) s += row[a] * vectors[a * q + cols[c]];
                z[i, c] = s / Math.Sqrt(Math.Sqrt(values[cols[c]]));
            }
        }
        return z;
    }
}
