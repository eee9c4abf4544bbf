using ScottPlot;
using SkiaSharp;

namespace MLNetSpatialOmics.Plotting;

/// <summary>
/// The embedded DejaVu Sans font. SkiaSharp otherwise takes fonts from the machine, and where there are none it draws
/// PNGs without any text (and no error); with the font inside the assembly every machine renders the same pixels.
/// The family is registered under its own name so a system copy of DejaVu can never be picked instead.
/// </summary>
public static class PlotFonts
{
    /// <summary>Family name under which the embedded font is registered with ScottPlot.</summary>
    public const string FamilyName = "MLNetSpatialOmics DejaVu Sans";

    private static readonly object Gate = new();
    private static bool _registered;
    private static SKTypeface? _regular, _bold;

    /// <summary>Registers the embedded font with ScottPlot once per process (called by every plot method).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (!_registered)
            {
                _regular = Load("MLNetSpatialOmics.Plotting.Fonts.DejaVuSans.ttf");
                _bold = Load("MLNetSpatialOmics.Plotting.Fonts.DejaVuSans-Bold.ttf");
                _registered = true;
            }
            // Checked every time: a caller's Fonts.Reset() empties ScottPlot's resolver list.
            if (!Fonts.FontResolvers.OfType<EmbeddedFontResolver>().Any())
                Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
        }
    }

    private static SKTypeface Load(string resource)
    {
        using var stream = typeof(PlotFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded font resource '{resource}' is missing from {typeof(PlotFonts).Assembly.GetName().Name}; the build did not embed it.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"embedded font resource '{resource}' could not be read by SkiaSharp.");
    }

    /// <summary>The embedded regular face.</summary>
    internal static SKTypeface Regular
    {
        get { EnsureRegistered(); return _regular!; }
    }

    /// <summary>The embedded bold face (for text drawn outside ScottPlot, e.g. a figure title over several panels).</summary>
    internal static SKTypeface Bold
    {
        get { EnsureRegistered(); return _bold!; }
    }

    /// <summary>Points every text element of a plot at the embedded font and stops ScottPlot from swapping in system fonts.</summary>
    internal static void Apply(Plot plot)
    {
        EnsureRegistered();
        plot.Font.Set(FamilyName);
        plot.Legend.FontName = FamilyName;
        plot.Legend.SetBestFontOnEachRender = false;
        // FontStyler.Set un-bolds the title; titles stay bold.
        plot.Axes.Title.Label.Bold = true;
    }

    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) =>
            Matches(fontName) ? (bold ? _bold! : _regular!) : null!;

        public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            Matches(fontName) ? ((int)weight >= (int)FontWeight.SemiBold ? _bold! : _regular!) : null!;

        private static bool Matches(string name) => string.Equals(name, FamilyName, StringComparison.OrdinalIgnoreCase);
    }
}
