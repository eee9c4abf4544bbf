namespace MLNetSpatialOmics.Simulation;

/// <summary>
/// NSF's "ggblocks" spatial factors: a 6×6 template holding four disjoint shapes (a cross, a hollow square, a staircase
/// triangle and a "T"), blown up to the grid. Domain 0 is background; domain k (1..4) is factor k.
/// </summary>
public static class GgblocksPattern
{
    public const int TemplateSide = 6;
    public const int FactorCount = 4;
    /// <summary>Background plus one domain per factor.</summary>
    public const int DomainCount = FactorCount + 1;

    // Template cells (6·row + column) of each factor, as in NSF's ggblocks.
    private static readonly int[][] FactorCells =
    {
        new[] { 1, 6, 7, 8, 13 },                  // cross, top-left
        new[] { 3, 4, 5, 9, 11, 15, 16, 17 },      // hollow square, top-right
        new[] { 18, 24, 25, 30, 31, 32 },          // staircase, bottom-left
        new[] { 21, 22, 23, 28, 34 },              // "T", bottom-right
    };

    private static readonly byte[] TemplateDomain = BuildTemplate();

    private static byte[] BuildTemplate()
    {
        var t = new byte[TemplateSide * TemplateSide];
        for (int f = 0; f < FactorCells.Length; f++)
            foreach (int cell in FactorCells[f]) t[cell] = (byte)(f + 1);
        return t;
    }

    /// <summary>
    /// Domain (0 = background, 1..4 = factor) of grid cell (<paramref name="row"/>, <paramref name="col"/>) on a
    /// <paramref name="side"/>×<paramref name="side"/> grid. For sides divisible by 6 this is exactly NSF's Kronecker
    /// blow-up; other sides map each spot to the template cell that contains it.
    /// </summary>
    public static int Domain(int row, int col, int side)
    {
        if (side < TemplateSide)
            throw new ArgumentOutOfRangeException(nameof(side), side, $"the ggblocks grid side must be at least {TemplateSide}.");
        if ((uint)row >= (uint)side || (uint)col >= (uint)side)
            throw new ArgumentOutOfRangeException(nameof(row), $"cell ({row}, {col}) is outside the {side}×{side} grid.");
        int tr = (int)((long)row * TemplateSide / side);
        int tc = (int)((long)col * TemplateSide / side);
        return TemplateDomain[tr * TemplateSide + tc];
    }
}
