namespace MLNetSpatialOmics.DataView;

/// <summary>ML.NET's well-known annotation kinds (the constants live in an internal class there).</summary>
internal static class AnnotationUtils
{
    public const string SlotNames = "SlotNames";
    public const string KeyValues = "KeyValues";
}
