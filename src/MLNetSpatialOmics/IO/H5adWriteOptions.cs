namespace MLNetSpatialOmics.IO;

/// <summary>How <see cref="H5adWriter"/> stores arrays.</summary>
public sealed class H5adWriteOptions
{
    /// <summary>gzip (deflate) numeric arrays; on by default. PureHDF supports levels 1 and 9 only.</summary>
    public bool Compress { get; set; } = true;
    /// <summary>Deflate level: 1 (fast, the default) or 9 (smallest).</summary>
    public int CompressionLevel { get; set; } = 1;
    /// <summary>Store matrix and obsm values as float32 (ML.NET's own precision) instead of float64.</summary>
    public bool SinglePrecision { get; set; } = true;
}
