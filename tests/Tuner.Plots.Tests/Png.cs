using System.Buffers.Binary;
using SkiaSharp;

namespace Tuner.Plots.Tests;

/// <summary>Reads what the chart tests check in a PNG: its header, and its pixels.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts the PNG signature and an IHDR first chunk; returns its width and height.</summary>
    public static (int Width, int Height) Header(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    public static SKBitmap Decode(string path) => SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} does not decode");

    /// <summary>Pixels in the rectangle matching <paramref name="match"/>.</summary>
    public static int Count(SKBitmap bitmap, SKRectI area, Func<SKColor, bool> match)
    {
        int count = 0;
        for (int y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
        {
            for (int x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
            {
                if (match(bitmap.GetPixel(x, y)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    public static bool Dark(SKColor c) => c.Red < 110 && c.Green < 110 && c.Blue < 110;

    /// <summary>Distinct colours in the image (a blank or nearly blank chart has few).</summary>
    public static int Colours(SKBitmap bitmap) => bitmap.Pixels.Distinct().Count();
}
