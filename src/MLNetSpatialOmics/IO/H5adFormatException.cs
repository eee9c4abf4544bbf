namespace MLNetSpatialOmics.IO;

/// <summary>
/// An <c>.h5ad</c> (or HDF5) file that cannot be read as AnnData. The message always names the file and the field
/// (HDF5 path inside the file) and says what was expected.
/// </summary>
public sealed class H5adFormatException : IOException
{
    /// <summary>The file that was being read or written.</summary>
    public string FilePath { get; }
    /// <summary>The HDF5 path of the offending field (e.g. <c>X/indptr</c>), or <c>""</c> for the file as a whole.</summary>
    public string Field { get; }

    public H5adFormatException(string filePath, string field, string message, Exception? inner = null)
        : base(Compose(filePath, field, message), inner)
    {
        FilePath = filePath;
        Field = field;
    }

    private static string Compose(string filePath, string field, string message) =>
        field.Length == 0 ? $"{filePath}: {message}" : $"{filePath}: field '{field}': {message}";
}
