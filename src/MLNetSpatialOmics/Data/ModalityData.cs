using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Data;

/// <summary>One modality's spot × feature matrix (counts or processed values) with its feature names.</summary>
public sealed class ModalityData
{
    /// <summary>Modality name as used for the IDataView column: <c>RNA</c>, <c>ADT</c>, <c>ATAC</c>, ...</summary>
    public string Name { get; }
    /// <summary>Feature (gene / protein / peak) names, one per column; may contain duplicates (see README).</summary>
    public string[] FeatureNames { get; }
    /// <summary>The matrix when stored sparse; exactly one of <see cref="Sparse"/> and <see cref="Dense"/> is set.</summary>
    public CsrMatrix? Sparse { get; }
    public DenseMatrix? Dense { get; }

    public int SpotCount => Sparse?.Rows ?? Dense!.Rows;
    public int FeatureCount => Sparse?.Cols ?? Dense!.Cols;

    public ModalityData(string name, string[] featureNames, CsrMatrix matrix)
        : this(name, featureNames, matrix, null) { }

    public ModalityData(string name, string[] featureNames, DenseMatrix matrix)
        : this(name, featureNames, null, matrix) { }

    private ModalityData(string name, string[] featureNames, CsrMatrix? sparse, DenseMatrix? dense)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("modality name must not be empty.", nameof(name));
        Name = name;
        FeatureNames = featureNames ?? throw new ArgumentNullException(nameof(featureNames));
        Sparse = sparse;
        Dense = dense;
        int cols = sparse?.Cols ?? dense!.Cols;
        if (featureNames.Length != cols)
            throw new ArgumentException($"modality '{name}' has {cols} feature columns but {featureNames.Length} feature names.", nameof(featureNames));
    }

    /// <summary>Dense copy (or the dense matrix itself when already dense).</summary>
    public DenseMatrix ToDense() => Dense ?? Sparse!.ToDense();
}
