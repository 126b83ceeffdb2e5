using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.CutMix;

/// <summary>A rectangle of an image: rows [Top, Top + Height), columns [Left, Left + Width).</summary>
public readonly record struct CutMixBox(int Top, int Left, int Height, int Width)
{
    public int Area => Height * Width;
}

/// <summary>Pure functions of CutMix (Yun et al., ICCV 2019).</summary>
public static class CutMixMath
{
    /// <summary>
    /// The box of the reference implementation: side ratio sqrt(1 - <paramref name="lambda"/>), centred at
    /// (<paramref name="centerRow"/>, <paramref name="centerColumn"/>), clipped to the image (so its area may be smaller
    /// than 1 - lambda of the image; <see cref="Lambda"/> gives the exact mixing weight).
    /// </summary>
    public static CutMixBox Box(int height, int width, double lambda, int centerRow, int centerColumn)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        double ratio = Math.Sqrt(1 - Math.Clamp(lambda, 0, 1));
        int cutHeight = (int)(height * ratio);
        int cutWidth = (int)(width * ratio);
        int top = Math.Clamp(centerRow - (cutHeight / 2), 0, height);
        int bottom = Math.Clamp(centerRow + (cutHeight / 2), 0, height);
        int left = Math.Clamp(centerColumn - (cutWidth / 2), 0, width);
        int right = Math.Clamp(centerColumn + (cutWidth / 2), 0, width);
        return new CutMixBox(top, left, bottom - top, right - left);
    }

    /// <summary>The weight of the original image's labels: 1 - box area / image area.</summary>
    public static double Lambda(CutMixBox box, int height, int width) => 1 - (box.Area / (double)(height * width));

    /// <summary>A copy of <paramref name="inputs"/> [B, C, H, W] with the box of each image replaced by the same box of image <paramref name="permutation"/>[i].</summary>
    public static Tensor Paste(Tensor inputs, Tensor permutation, CutMixBox box)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using DisposeScope scope = NewDisposeScope();
        Tensor mixed = inputs.clone();
        if (box.Area > 0)
        {
            Tensor partners = inputs.index_select(0, permutation);
            Tensor source = partners.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width);
            mixed.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width).copy_(source);
        }

        return mixed.MoveToOuterDisposeScope();
    }
}
