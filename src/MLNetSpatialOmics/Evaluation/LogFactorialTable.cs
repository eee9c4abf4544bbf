namespace MLNetSpatialOmics.Evaluation;

/// <summary>
/// ln(k!) for k = 0..n, accumulated in double-double so every entry is within about one ulp of the true value
/// (the expected-MI sum exponentiates differences of these ~n·ln n sized numbers, so their accuracy matters).
/// </summary>
internal sealed class LogFactorialTable
{
    private readonly double[] _values;

    public LogFactorialTable(long n)
    {
        if (n < 0 || n >= Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(n), n, "log-factorial table size out of range.");
        _values = new double[n + 1];
        double hi = 0, lo = 0;
        for (long k = 2; k <= n; k++)
        {
            double term = Math.Log(k);
            // TwoSum(hi, term) keeps the rounding error of each addition in lo.
            double s = hi + term;
            double bp = s - hi;
            double err = (hi - (s - bp)) + (term - bp);
            lo += err;
            hi = s + lo;
            lo -= hi - s;
            _values[k] = hi;
        }
    }

    public double this[long k] => _values[k];
}
