using MLNetSpatialOmics.Evaluation;

namespace MLNetSpatialOmics.Benchmarks.Trainers.Trsmi;

/// <summary>
/// The ten PRAGA metrics and the TRSMI paper's summary scores: Info-Avg = mean(MI, NMI, AMI), Clust-Avg =
/// mean(FMI, ARI, V-measure), Class-Avg = mean(F1, Jaccard, completeness), Overall-Avg = mean of the three.
/// </summary>
internal static class SummaryScores
{
    public static readonly string[] Names =
        { "MI", "NMI", "AMI", "FMI", "ARI", "V", "Hom", "Comp", "F1", "Jacc", "Info", "Clust", "Class", "Overall" };
    public const int Ari = 4, Nmi = 1, Overall = 13;

    public static double[] Compute(SpatialClusteringMetrics m)
    {
        double info = (m.MutualInformation + m.NormalizedMutualInformation + m.AdjustedMutualInformation) / 3;
        double clust = (m.FowlkesMallows + m.AdjustedRandIndex + m.VMeasure) / 3;
        double cls = (m.F1 + m.Jaccard + m.Completeness) / 3;
        return new[]
        {
            m.MutualInformation, m.NormalizedMutualInformation, m.AdjustedMutualInformation, m.FowlkesMallows,
            m.AdjustedRandIndex, m.VMeasure, m.Homogeneity, m.Completeness, m.F1, m.Jaccard,
            info, clust, cls, (info + clust + cls) / 3,
        };
    }
}
