namespace MLNetSpatialOmics.Plotting;

/// <summary>Size and text of a plot. Unset sizes take a default that suits the plot kind and panel count.</summary>
public sealed class PlotOptions
{
    /// <summary>Image width in pixels (100..10000); null = default for the plot kind.</summary>
    public int? Width { get; set; }
    /// <summary>Image height in pixels (100..10000); null = default for the plot kind.</summary>
    public int? Height { get; set; }
    /// <summary>Title over the whole figure (null = none).</summary>
    public string? Title { get; set; }
    /// <summary>Title of the predicted-labels panel.</summary>
    public string? PredictedTitle { get; set; }
    /// <summary>Title of the ground-truth panel (shown when truth is given).</summary>
    public string? TruthTitle { get; set; }
    /// <summary>Marker diameter in pixels; null = sized from the spot density so neighbouring spots just touch.</summary>
    public float? MarkerSize { get; set; }
    /// <summary>Draw y downwards (image coordinates, e.g. Visium pixel positions).</summary>
    public bool InvertY { get; set; }

    internal PlotOptions Clone() => (PlotOptions)MemberwiseClone();

    internal (int Width, int Height) Size(int defaultWidth, int defaultHeight)
    {
        int w = Width ?? defaultWidth, h = Height ?? defaultHeight;
        if (w < 100 || w > 10000) throw new ArgumentOutOfRangeException(nameof(Width), w, "plot width must be between 100 and 10000 pixels.");
        if (h < 100 || h > 10000) throw new ArgumentOutOfRangeException(nameof(Height), h, "plot height must be between 100 and 10000 pixels.");
        if (MarkerSize is { } m && !(m > 0 && m <= 200))
            throw new ArgumentOutOfRangeException(nameof(MarkerSize), m, "marker size must be in (0, 200] pixels.");
        return (w, h);
    }
}
