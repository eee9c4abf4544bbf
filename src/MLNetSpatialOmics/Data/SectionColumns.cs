namespace MLNetSpatialOmics.Data;

/// <summary>Column names of a section's IDataView (one row per spot) and of what the library's components add.</summary>
public static class SectionColumns
{
    public const string SpotId = "SpotId";
    public const string X = "X";
    public const string Y = "Y";
    public const string Truth = "Truth";
    public const string SectionId = "SectionId";

    /// <summary>Trainer / clustering outputs, following ML.NET's clustering convention.</summary>
    public const string Embedding = "Embedding";
    public const string PredictedLabel = "PredictedLabel";
    public const string Score = "Score";
}
