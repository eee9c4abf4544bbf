namespace MLNetSpatialOmics.Clustering;

/// <summary>Small dense kernels on row-major d×d matrices (d = embedding width, tens at most).</summary>
internal static class DenseLinearAlgebra
{
    /// <summary>
    /// In-place lower Cholesky factor of the symmetric positive definite <paramref name="a"/> (upper triangle zeroed).
    /// Returns false when a pivot is not positive (singular or indefinite).
    /// </summary>
    public static bool Cholesky(double[] a, int d)
    {
        for (int j = 0; j < d; j++)
        {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) s -= a[j * d + k] * a[j * d + k];
            if (!(s > 0)) return false;
            double ljj = Math.Sqrt(s);
            a[j * d + j] = ljj;
            for (int i = j + 1; i < d; i++)
            {
                double t = a[i * d + j];
                for (int k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
                a[i * d + j] = t / ljj;
            }
            for (int k = j + 1; k < d; k++) a[j * d + k] = 0;
        }
        return true;
    }

    /// <summary>Σ log L_jj of a lower Cholesky factor, i.e. ½ log det.</summary>
    public static double HalfLogDet(double[] l, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++) s += Math.Log(Math.Abs(l[j * d + j]));
        return s;
    }

    /// <summary>‖L⁻¹ v‖² by forward substitution (v is overwritten).</summary>
    public static double SolveLowerSquaredNorm(double[] l, int d, Span<double> v)
    {
        double ss = 0;
        for (int i = 0; i < d; i++)
        {
            double t = v[i];
            int row = i * d;
            for (int k = 0; k < i; k++) t -= l[row + k] * v[k];
            t /= l[row + i];
            v[i] = t;
            ss += t * t;
        }
        return ss;
    }

    /// <summary>
    /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (accurate to working precision for the
    /// small matrices used here). Eigenvalues descending; eigenvectors are the columns of the returned row-major matrix.
    /// </summary>
    public static (double[] Values, double[] Vectors) SymmetricEigen(double[] matrix, int d)
    {
        var a = (double[])matrix.Clone();
        var v = new double[d * d];
        for (int i = 0; i < d; i++) v[i * d + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) off += a[i * d + j] * a[i * d + j];
            if (off == 0) break;
            double scale = 0;
            for (int i = 0; i < d; i++) scale += a[i * d + i] * a[i * d + i];
            if (off <= 1e-32 * scale) break;
            for (int p = 0; p < d; p++)
                for (int q = p + 1; q < d; q++)
                {
                    double apq = a[p * d + q];
                    if (apq == 0) continue;
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++)
                    {
                        double akp = a[k * d + p], akq = a[k * d + q];
                        a[k * d + p] = c * akp - s * akq;
                        a[k * d + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++)
                    {
                        double apk = a[p * d + k], aqk = a[q * d + k];
                        a[p * d + k] = c * apk - s * aqk;
                        a[q * d + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++)
                    {
                        double vkp = v[k * d + p], vkq = v[k * d + q];
                        v[k * d + p] = c * vkp - s * vkq;
                        v[k * d + q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, d).OrderByDescending(i => a[i * d + i]).ToArray();
        var values = order.Select(i => a[i * d + i]).ToArray();
        var vectors = new double[d * d];
        for (int c = 0; c < d; c++)
            for (int r = 0; r < d; r++) vectors[r * d + c] = v[r * d + order[c]];
        return (values, vectors);
    }
}
