using SkiaSharp;

namespace MLNetSpatialOmics.Tests.Plotting;

/// <summary>Decodes PNG bytes for pixel checks (SkiaSharp's decoder, independent of ScottPlot's rendering path).</summary>
internal static class PngImage
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Checks the PNG signature and the IHDR chunk, returns (width, height) from the header.</summary>
    public static (int Width, int Height) Header(byte[] png)
    {
        Assert.IsGreaterThan(33, png.Length, "too short for a PNG");
        CollectionAssert.AreEqual(Signature, png.Take(8).ToArray(), "PNG signature");
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4), "first chunk must be IHDR");
        int w = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        int h = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        return (w, h);
    }

    public static SKBitmap Decode(byte[] png) =>
        SKBitmap.Decode(png) ?? throw new AssertFailedException("the bytes do not decode as an image");

    /// <summary>Pixels darker than a text colour would be (luminance below 110) inside a rectangle.</summary>
    public static int DarkPixels(SKBitmap bmp, int left, int top, int right, int bottom)
    {
        int count = 0;
        for (int y = Math.Max(0, top); y < Math.Min(bmp.Height, bottom); y++)
            for (int x = Math.Max(0, left); x < Math.Min(bmp.Width, right); x++)
            {
                var c = bmp.GetPixel(x, y);
                if (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue < 110) count++;
            }
        return count;
    }
}
