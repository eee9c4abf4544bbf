namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Points bucketed into square cells (about two points per cell), stored in cell order so a cell's points are
/// contiguous. The grid spans the 0.1–99.9% quantiles of x and y, so a few stray spots with far-off coordinates
/// do not squeeze everything else into one cell; points outside are kept in the border cells. Queries search rings
/// of cells outwards and stop once the next ring cannot hold a point at or below the current k-th distance — ties
/// included, so the (distance, index) rule stays exact. Speed assumes roughly even density (true of tissue
/// sections); strongly clustered layouts stay exact but cost more.
/// </summary>
internal sealed class PointGrid
{
    private readonly double _minX, _minY, _cell, _slack;
    private readonly int _nx, _ny;
    private readonly int[] _cellStart;      // length cells + 1
    private readonly double[] _sx, _sy;     // coordinates in cell order
    private readonly int[] _cellOfSorted;
    /// <summary>Original index of the s-th point in cell order.</summary>
    public int[] Order { get; }

    public PointGrid(double[] xs, double[] ys)
    {
        int n = xs.Length;
        var (minX, maxX) = RobustRange(xs);
        var (minY, maxY) = RobustRange(ys);
        double w = maxX - minX, h = maxY - minY;
        double targetCells = Math.Max(1.0, n / 2.0);
        double cell = w > 0 && h > 0 ? Math.Sqrt(w * h / targetCells)
            : Math.Max(w, h) > 0 ? Math.Max(w, h) / targetCells
            : 1.0;
        // Very elongated boxes would give absurd cell counts along one axis: cap the grid at ~4N cells.
        long nx, ny;
        while (true)
        {
            nx = (long)Math.Floor(w / cell) + 1;
            ny = (long)Math.Floor(h / cell) + 1;
            if (nx * ny <= 4L * n + 64 && nx < int.MaxValue / 2 && ny < int.MaxValue / 2) break;
            cell *= 1.5;
        }
        _minX = minX; _minY = minY; _cell = cell; _nx = (int)nx; _ny = (int)ny;
        // Absolute allowance for rounding in the cell assignment, at the scale of the coordinates.
        _slack = 1e-9 * (Math.Abs(minX) + Math.Abs(minY) + (nx + ny + 2) * cell);

        int cells = _nx * _ny;
        var cellOf = new int[n];
        _cellStart = new int[cells + 1];
        for (int i = 0; i < n; i++)
        {
            int c = CellX(xs[i]) + CellY(ys[i]) * _nx;
            cellOf[i] = c;
            _cellStart[c + 1]++;
        }
        for (int c = 0; c < cells; c++) _cellStart[c + 1] += _cellStart[c];
        var fill = (int[])_cellStart.Clone();
        Order = new int[n];
        _sx = new double[n];
        _sy = new double[n];
        _cellOfSorted = new int[n];
        for (int i = 0; i < n; i++)
        {
            int s = fill[cellOf[i]]++;
            Order[s] = i;
            _sx[s] = xs[i];
            _sy[s] = ys[i];
            _cellOfSorted[s] = cellOf[i];
        }
    }

    /// <summary>The 0.1% and 99.9% quantiles (from at most 65,536 evenly spaced points); min/max for small inputs.</summary>
    private static (double Lo, double Hi) RobustRange(double[] v)
    {
        int n = v.Length;
        if (n <= 2000)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (var a in v) { lo = Math.Min(lo, a); hi = Math.Max(hi, a); }
            return (lo, hi);
        }
        int m = Math.Min(n, 65536);
        var sample = new double[m];
        for (int i = 0; i < m; i++) sample[i] = v[(int)((long)i * n / m)];
        Array.Sort(sample);
        return (sample[(int)(0.001 * (m - 1))], sample[(int)Math.Ceiling(0.999 * (m - 1))]);
    }

    private int CellX(double x) => (int)Math.Min(_nx - 1, Math.Max(0, Math.Floor((x - _minX) / _cell)));
    private int CellY(double y) => (int)Math.Min(_ny - 1, Math.Max(0, Math.Floor((y - _minY) / _cell)));

    /// <summary>
    /// The k nearest other points of the s-th point in cell order: squared distances and original indices,
    /// sorted by (squared distance, index).
    /// </summary>
    public void Query(int s, Span<double> d2, Span<int> idx)
    {
        TopK.Reset(d2, idx);
        int k = d2.Length;
        int self = Order[s];
        double qx = _sx[s], qy = _sy[s];
        int c = _cellOfSorted[s];
        int cx = c % _nx, cy = c / _nx;
        int maxRing = Math.Max(_nx, _ny);
        for (int r = 0; r <= maxRing; r++)
        {
            if (r >= 1 && idx[k - 1] != int.MaxValue)
            {
                // Every point in ring r lies outside the box of cells within r − 1 of the query's cell (points kept in
                // border cells lie even further out), so its distance is at least the query's distance to that box's
                // boundary. A box side on the grid border is open: border cells hold the points beyond it.
                double gap = double.PositiveInfinity;
                if (cx - r + 1 > 0) gap = Math.Min(gap, qx - (_minX + (cx - r + 1) * _cell));
                if (cx + r - 1 < _nx - 1) gap = Math.Min(gap, _minX + (cx + r) * _cell - qx);
                if (cy - r + 1 > 0) gap = Math.Min(gap, qy - (_minY + (cy - r + 1) * _cell));
                if (cy + r - 1 < _ny - 1) gap = Math.Min(gap, _minY + (cy + r) * _cell - qy);
                if (double.IsPositiveInfinity(gap)) break;   // the box is the whole grid: every point was scanned
                gap -= _slack;
                if (gap > 0 && gap * gap > d2[k - 1]) break;
            }
            int y0 = cy - r, y1 = cy + r, x0 = cx - r, x1 = cx + r;
            for (int gy = Math.Max(0, y0); gy <= Math.Min(_ny - 1, y1); gy++)
            {
                bool edgeRow = gy == y0 || gy == y1;
                if (edgeRow)
                    ScanRow(gy, Math.Max(0, x0), Math.Min(_nx - 1, x1), qx, qy, self, d2, idx);
                else
                {
                    if (x0 >= 0) ScanRow(gy, x0, x0, qx, qy, self, d2, idx);
                    if (x1 < _nx && x1 != x0) ScanRow(gy, x1, x1, qx, qy, self, d2, idx);
                }
            }
        }
    }

    private void ScanRow(int gy, int gx0, int gx1, double qx, double qy, int self, Span<double> d2, Span<int> idx)
    {
        if (gx0 > gx1) return;
        int start = _cellStart[gy * _nx + gx0], end = _cellStart[gy * _nx + gx1 + 1];
        int last = d2.Length - 1;
        for (int p = start; p < end; p++)
        {
            double dx = _sx[p] - qx, dy = _sy[p] - qy;
            double d = dx * dx + dy * dy;
            if (d > d2[last]) continue;
            int j = Order[p];
            if (j == self) continue;
            TopK.TryInsert(d2, idx, d, j);
        }
    }
}
