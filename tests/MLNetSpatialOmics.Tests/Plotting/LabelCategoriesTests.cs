using MLNetSpatialOmics.Plotting;

namespace MLNetSpatialOmics.Tests.Plotting;

[TestClass]
public class LabelCategoriesTests
{
    [TestMethod]
    public void IntegerLabelsSortNumericallyAndUnknownComesLast()
    {
        var c = LabelCategories.From(new[] { "10", "9", null, "1", "10", " " });
        CollectionAssert.AreEqual(new[] { "1", "9", "10", "unknown" }, c.Names);
        CollectionAssert.AreEqual(new[] { 1, 1, 2, 2 }, c.Counts);
        Assert.AreEqual(-1, c.ColorSlot[3]);
    }

    [TestMethod]
    public void PredictedClustersTakeTheColourOfTheTruthDomainTheyOverlapMost()
    {
        // Predicted cluster k covers truth domain (k + 1) % 3 (plus one stray spot) and a fourth cluster has no partner.
        string[] truth = { "0", "0", "0", "1", "1", "1", "2", "2", "2", "2" };
        string[] predicted = { "2", "2", "0", "0", "0", "0", "1", "1", "1", "3" };
        var t = LabelCategories.From(truth);
        var p = LabelCategories.From(predicted);
        p.MatchColorsTo(t);
        Assert.AreEqual(t.ColorSlot[1], p.ColorSlot[0], "cluster 0 ↔ domain 1");
        Assert.AreEqual(t.ColorSlot[2], p.ColorSlot[1], "cluster 1 ↔ domain 2");
        Assert.AreEqual(t.ColorSlot[0], p.ColorSlot[2], "cluster 2 ↔ domain 0");
        Assert.AreEqual(3, p.ColorSlot[3], "the unmatched cluster takes the first free colour");
        Assert.AreEqual(p.ColorSlot.Length, p.ColorSlot.Distinct().Count(), "colours stay distinct");
    }

    [TestMethod]
    public void ColoursBeyondThePaletteStayDistinct()
    {
        var colours = Enumerable.Range(0, 60).Select(LabelCategories.SlotColor).ToList();
        Assert.AreEqual(60, colours.Select(c => c.ToString()).Distinct().Count());
    }
}
