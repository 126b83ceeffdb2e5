namespace Tuner.Data;

/// <summary>
/// <paramref name="Count"/> grayscale images of <paramref name="Rows"/> x <paramref name="Columns"/> bytes, stored
/// image after image, row-major within an image.
/// </summary>
public sealed record ImageSet(byte[] Pixels, int Count, int Rows, int Columns)
{
    /// <summary>Bytes per image (<see cref="Rows"/> * <see cref="Columns"/>).</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
