using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// A simulated section: the <see cref="SpatialSection"/> (modality matrices hold the stored values — counts plus
/// rounded noise, ×10 for the protein modality, like SpatialGlue's <c>X</c>; truth labels are the domain numbers
/// "0".."4") together with what the generator knows and a user of real data would not.
/// </summary>
public sealed class SimulatedSection
{
    public SpatialSection Section { get; }
    /// <summary>Count layer per modality name (NB draws after zero inflation, before noise; AnnData's <c>layers/counts</c>), rows and columns as in <see cref="Section"/>.</summary>
    public IReadOnlyDictionary<string, CsrMatrix> Counts { get; }
    /// <summary>Domain of each row (0 = background, 1..4 = ggblocks factor).</summary>
    public int[] Domains { get; }
    /// <summary>Grid row and column of each row.</summary>
    public int[] GridRows { get; }
    public int[] GridColumns { get; }
    /// <summary>Loadings per modality name (indexed by original feature number, i.e. the number in the feature name).</summary>
    public IReadOnlyDictionary<string, FeatureLoadings> Loadings { get; }

    internal SimulatedSection(SpatialSection section, IReadOnlyDictionary<string, CsrMatrix> counts, int[] domains,
        int[] gridRows, int[] gridColumns, IReadOnlyDictionary<string, FeatureLoadings> loadings)
    {
        Section = section;
        Counts = counts;
        Domains = domains;
        GridRows = gridRows;
        GridColumns = gridColumns;
        Loadings = loadings;
    }

    /// <summary>Cached label strings so that a million-spot truth column holds references, not a million strings.</summary>
    internal static readonly string[] DomainLabels = Enumerable.Range(0, GgblocksPattern.DomainCount).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
