namespace MLNetSpatialOmics.Numerics;

/// <summary>
/// A matrix seen only through products, so randomized SVD runs on dense, sparse or implicitly centred data
/// without materialising the centred matrix (which would make a sparse count matrix dense).
/// </summary>
public abstract class LinearOperator
{
    public abstract int Rows { get; }
    public abstract int Cols { get; }
    /// <summary>A·B for B (Cols × l).</summary>
    public abstract DenseMatrix Multiply(DenseMatrix b);
    /// <summary>Aᵀ·B for B (Rows × l).</summary>
    public abstract DenseMatrix TransposeMultiply(DenseMatrix b);

    public static LinearOperator From(DenseMatrix a) => new DenseOperator(a);
    public static LinearOperator From(CsrMatrix a) => new SparseOperator(a);

    /// <summary>A − 1·meanᵀ (each column shifted by its mean), applied implicitly.</summary>
    public LinearOperator Centred(double[] columnMeans) => new CentredOperator(this, columnMeans);

    /// <summary>A·diag(scale): column j multiplied by scale[j], applied implicitly.</summary>
    public LinearOperator ColumnsScaled(double[] scale) => new ColumnScaledOperator(this, scale);

    private sealed class ColumnScaledOperator : LinearOperator
    {
        private readonly LinearOperator _inner;
        private readonly double[] _scale;

        public ColumnScaledOperator(LinearOperator inner, double[] scale)
        {
            if (scale.Length != inner.Cols) throw new ArgumentException($"{scale.Length} scale factors for {inner.Cols} columns.");
            _inner = inner;
            _scale = scale;
        }

        public override int Rows => _inner.Rows;
        public override int Cols => _inner.Cols;

        public override DenseMatrix Multiply(DenseMatrix b)
        {
            var scaled = b.Clone();   // diag(scale)·B, then A·(that)
            for (int p = 0; p < scaled.Rows; p++) VectorOps.Scale(_scale[p], scaled.Row(p));
            return _inner.Multiply(scaled);
        }

        public override DenseMatrix TransposeMultiply(DenseMatrix b)
        {
            var c = _inner.TransposeMultiply(b);
            for (int j = 0; j < c.Rows; j++) VectorOps.Scale(_scale[j], c.Row(j));
            return c;
        }
    }

    private sealed class DenseOperator(DenseMatrix a) : LinearOperator
    {
        public override int Rows => a.Rows;
        public override int Cols => a.Cols;
        public override DenseMatrix Multiply(DenseMatrix b) => MatrixOps.Multiply(a, b);
        public override DenseMatrix TransposeMultiply(DenseMatrix b) => MatrixOps.TransposeMultiply(a, b);
    }

    private sealed class SparseOperator(CsrMatrix a) : LinearOperator
    {
        public override int Rows => a.Rows;
        public override int Cols => a.Cols;
        public override DenseMatrix Multiply(DenseMatrix b) => MatrixOps.Multiply(a, b);
        public override DenseMatrix TransposeMultiply(DenseMatrix b) => MatrixOps.TransposeMultiply(a, b);
    }

    private sealed class CentredOperator : LinearOperator
    {
        private readonly LinearOperator _inner;
        private readonly double[] _mean;

        public CentredOperator(LinearOperator inner, double[] mean)
        {
            if (mean.Length != inner.Cols) throw new ArgumentException($"{mean.Length} means for {inner.Cols} columns.");
            _inner = inner;
            _mean = mean;
        }

        public override int Rows => _inner.Rows;
        public override int Cols => _inner.Cols;

        public override DenseMatrix Multiply(DenseMatrix b)
        {
            var c = _inner.Multiply(b);
            var shift = new double[b.Cols];   // meanᵀ·B
            for (int p = 0; p < b.Rows; p++) VectorOps.Axpy(_mean[p], b.RowReadOnly(p), shift);
            for (int i = 0; i < c.Rows; i++) VectorOps.Axpy(-1.0, shift, c.Row(i));
            return c;
        }

        public override DenseMatrix TransposeMultiply(DenseMatrix b)
        {
            var c = _inner.TransposeMultiply(b);
            var colSum = new double[b.Cols];   // 1ᵀ·B
            for (int i = 0; i < b.Rows; i++) VectorOps.Axpy(1.0, b.RowReadOnly(i), colSum);
            for (int j = 0; j < c.Rows; j++) VectorOps.Axpy(-_mean[j], colSum, c.Row(j));
            return c;
        }
    }
}
