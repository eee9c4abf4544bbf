using System.Globalization;
using MLNetSpatialOmics.Simulation;

namespace MLNetSpatialOmics.Tests.Simulation;

/// <summary>
/// The simulator against SpatialGlue's shipped triplet data (<c>shared/data/simulation_spatialglue_triplet</c>). The
/// shipped file is one random draw; a correct simulator produces other draws from the same distribution, so the
/// tolerances below are the draw-to-draw spread of each statistic (measured over simulator seeds 101..108 and derived
/// from the model, noted per check), not an arbitrary slack. Each check fails for the mistakes that matter: a wrong
/// background mean, missing/double zero inflation, a missing ×10 on the protein values, wrong NB shape or weights.
/// </summary>
[TestClass]
public class SimulatorMatchesShippedDataTests
{
    private const string Folder = "simulation_spatialglue_triplet/";
    private static readonly Dictionary<(string, string), TripletStatistics> ShippedCache = new();
    private static readonly object Gate = new();

    // Seeds 101..108; the first is the default section (Seed 101), shared by all checks to keep the class fast.
    private static readonly Lazy<SimulatedSection[]> SeedSections = new(() =>
        Enumerable.Range(101, 8).Select(seed => SpatialSimulator.Simulate(new SpatialSimulatorOptions { Seed = seed })).ToArray());

    private static SimulatedSection DefaultSection => SeedSections.Value[0];

    private static TripletStatistics Shipped(string modality, string kind)
    {
        lock (Gate)
        {
            if (ShippedCache.TryGetValue((modality, kind), out var s)) return s;
            var gt = TripletStatistics.ReadShippedDomains(SharedData.DataFile(Folder + "derived_GT_labels.csv"));
            var (rows, domains) = TripletStatistics.ReadShipped(SharedData.DataFile($"{Folder}derived_{modality}_{kind}.csv.gz"), gt);
            s = TripletStatistics.Compute(rows, domains);
            ShippedCache[(modality, kind)] = s;
            return s;
        }
    }

    private static TripletStatistics Simulated(SimulatedSection sim, string modality, string kind) =>
        TripletStatistics.Compute(TripletStatistics.Rows(kind == "counts" ? sim.Counts[modality] : sim.Section.GetModality(modality).Sparse!), sim.Domains);

    private static double Scale(string modality, string kind) => kind == "X" && modality == "ADT" ? 10 : 1;

    [TestMethod]
    public void GridCoordinatesAndDomainsEqualTheShippedGroundTruth()
    {
        var sim = DefaultSection;
        var lines = File.ReadAllLines(SharedData.DataFile(Folder + "derived_GT_labels.csv"));
        Assert.AreEqual("obs_name,grid_index,grid_row,grid_col,x,y,domain", lines[0]);
        Assert.AreEqual(1296, lines.Length - 1);
        var rowOfId = sim.Section.SpotIds.Select((id, i) => (id, i)).ToDictionary(t => t.id, t => t.i);
        foreach (var line in lines.Skip(1))
        {
            var p = line.Split(',');
            int i = rowOfId[p[0]];
            Assert.AreEqual(int.Parse(p[2], CultureInfo.InvariantCulture), sim.GridRows[i], $"grid row of spot {p[0]}");
            Assert.AreEqual(int.Parse(p[3], CultureInfo.InvariantCulture), sim.GridColumns[i], $"grid column of spot {p[0]}");
            // The shipped coordinates are float32 after NSF's rescaling (documented ~5e-6 rounding).
            Assert.AreEqual(double.Parse(p[4], CultureInfo.InvariantCulture), sim.Section.X[i], 2e-5, $"x of spot {p[0]}");
            Assert.AreEqual(double.Parse(p[5], CultureInfo.InvariantCulture), sim.Section.Y[i], 2e-5, $"y of spot {p[0]}");
            Assert.AreEqual(p[6], sim.Section.Truth![i], $"domain of spot {p[0]}");
        }
    }

    [TestMethod]
    [DataRow("RNA", "counts")] [DataRow("RNA", "X")]
    [DataRow("ADT", "counts")] [DataRow("ADT", "X")]
    [DataRow("ATAC", "counts")] [DataRow("ATAC", "X")]
    public void LevelMeansSparsityAndDistributionOfTheDefaultSectionMatchTheShippedData(string modality, string kind)
    {
        var shipped = Shipped(modality, kind);
        var sim = Simulated(DefaultSection, modality, kind);
        string what = $"{modality} {kind}: simulated {sim} vs shipped {shipped}";

        // Mean of the entries where the spot carries the feature's spatial factor: NB means bkg+11 / bkg+20, averaged over
        // ~30k (ADT) to ~300k entries; seeds 101..108 stay within 1.5% of the shipped value.
        Assert.AreEqual(shipped.OnMean, sim.OnMean, 0.03 * shipped.OnMean, "on-factor mean; " + what);
        // Off-factor mean is dominated by the Bernoulli draw of the non-spatial factors (1296×3 draws, sd of the
        // membership rate 0.006, i.e. ~3% of the mean per draw); the shipped draw sits +2 sd above the model value.
        Assert.AreEqual(shipped.OffMean, sim.OffMean, 0.08 * shipped.OffMean, "off-factor mean; " + what);
        // Zero fractions: zero inflation 0.5 + NB(bkg) zeros; draw-to-draw spread ≤ 0.014 (ADT), ≤ 0.005 (RNA/ATAC).
        double zeroTol = modality == "ADT" ? 0.015 : 0.008;
        Assert.AreEqual(shipped.OnZeroFraction, sim.OnZeroFraction, zeroTol, "on-factor zero fraction; " + what);
        Assert.AreEqual(shipped.OffZeroFraction, sim.OffZeroFraction, zeroTol, "off-factor zero fraction; " + what);
        // Whole value distribution: total variation between histograms of 0..59, ≥60 (seeds 101..108: 0.002-0.017).
        Assert.IsLessThan(0.02, sim.HistogramDistance(shipped), "histogram total variation; " + what);
        // Quantiles 50/75/90/95/99%: within one count (plus the noise range 0..4 on stored values).
        double qTol = Scale(modality, kind) + (kind == "X" ? 2 : 0);
        for (int q = 0; q < TripletStatistics.QuantileLevels.Length; q++)
            Assert.AreEqual(shipped.Quantiles[q], sim.Quantiles[q], qTol, $"{TripletStatistics.QuantileLevels[q]:P0} quantile; " + what);
    }

    [TestMethod]
    [DataRow("RNA", "counts")] [DataRow("RNA", "X")]
    [DataRow("ADT", "counts")] [DataRow("ADT", "X")]
    [DataRow("ATAC", "counts")] [DataRow("ATAC", "X")]
    public void PerDomainMeansAndZeroFractionsOfTheShippedDataAreATypicalSimulatorDraw(string modality, string kind)
    {
        // A domain's mean depends on how many features happened to load on its factor (binomial, ±14 of 250 RNA
        // features, ±4 of 25 proteins), so a single draw can differ by 10-30%. The honest check is whether the shipped
        // values lie inside the simulator's own spread: |shipped − mean of 8 seeds| ≤ 4 sd (two-sided p ≈ 6e-5 per value
        // if the models agree); the sd is floored at 0.5% of the mean so an accidental tiny spread cannot pass anything.
        var shipped = Shipped(modality, kind);
        var draws = SeedSections.Value.Select(sim => Simulated(sim, modality, kind)).ToList();
        for (int d = 0; d < 5; d++)
        {
            CheckWithinSpread(shipped.DomainMean[d], draws.Select(s => s.DomainMean[d]).ToArray(), $"{modality} {kind} domain {d} mean");
            CheckWithinSpread(shipped.DomainZeroFraction[d], draws.Select(s => s.DomainZeroFraction[d]).ToArray(), $"{modality} {kind} domain {d} zero fraction");
        }
        CheckWithinSpread(shipped.Mean, draws.Select(s => s.Mean).ToArray(), $"{modality} {kind} overall mean");
    }

    private static void CheckWithinSpread(double shipped, double[] simulated, string what)
    {
        double mean = simulated.Average();
        double sd = Math.Sqrt(simulated.Sum(v => (v - mean) * (v - mean)) / (simulated.Length - 1));
        sd = Math.Max(sd, 0.005 * Math.Abs(mean));
        double z = (shipped - mean) / sd;
        Assert.IsLessThanOrEqualTo(4.0, Math.Abs(z),
            string.Create(CultureInfo.InvariantCulture, $"{what}: shipped {shipped:F4}, simulator {mean:F4} ± {sd:F4} (z = {z:F2})"));
    }

    [TestMethod]
    public void RnaAndAtacShareLoadingsAndProteinsLoadLikeTheFirstGenesAsInTheShippedData()
    {
        var sim = DefaultSection;
        CollectionAssert.AreEqual(sim.Loadings["RNA"].SpatialFactor, sim.Loadings["ATAC"].SpatialFactor);
        CollectionAssert.AreEqual(sim.Loadings["RNA"].NonSpatialFactor, sim.Loadings["ATAC"].NonSpatialFactor);
        CollectionAssert.AreEqual(sim.Loadings["RNA"].SpatialFactor.Take(100).ToArray(), sim.Loadings["ADT"].SpatialFactor);
    }
}
