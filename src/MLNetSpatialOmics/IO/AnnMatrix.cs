using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// A matrix read from an h5ad file (<c>X</c> or a layer): sparse files stay sparse (CSC is converted to CSR),
/// dense files become a <see cref="DenseMatrix"/>. Exactly one of <see cref="Sparse"/> and <see cref="Dense"/> is set.
/// </summary>
public sealed class AnnMatrix
{
    public CsrMatrix? Sparse { get; }
    public DenseMatrix? Dense { get; }
    /// <summary>How the file stored it: <c>dense</c>, <c>csr</c> or <c>csc</c>.</summary>
    public string StorageFormat { get; }
    /// <summary>The element type in the file, numpy style (<c>float32</c>, <c>int64</c>, ...); values are held as double.</summary>
    public string ElementType { get; }

    public int Rows => Sparse?.Rows ?? Dense!.Rows;
    public int Cols => Sparse?.Cols ?? Dense!.Cols;
    public bool IsSparse => Sparse is not null;

    public AnnMatrix(CsrMatrix sparse, string storageFormat = "csr", string elementType = "float64")
    {
        Sparse = sparse ?? throw new ArgumentNullException(nameof(sparse));
        StorageFormat = storageFormat;
        ElementType = elementType;
    }

    public AnnMatrix(DenseMatrix dense, string elementType = "float64")
    {
        Dense = dense ?? throw new ArgumentNullException(nameof(dense));
        StorageFormat = "dense";
        ElementType = elementType;
    }

    /// <summary>Value at (row, col), whatever the storage.</summary>
    public double Get(int row, int col) => Sparse is not null ? Sparse.Get(row, col) : Dense![row, col];

    public DenseMatrix ToDense() => Dense ?? Sparse!.ToDense();
}
