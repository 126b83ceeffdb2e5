using static TorchSharp.torch;

namespace Tuner.Techniques.Data.ProgressiveResizing;

/// <summary>Pure functions of progressive resizing (Howard, fast.ai 2018; Touvron et al., FixRes, NeurIPS 2019).</summary>
public static class ProgressiveResizingMath
{
    /// <summary>Side multiple that scheduled sizes are rounded to.</summary>
    public const int Multiple = 4;

    /// <summary>The image scale at elapsed budget <paramref name="fraction"/>: linear from <paramref name="initialScale"/> at 0 to 1 at <paramref name="fullAt"/>, then 1.</summary>
    public static double Scale(double fraction, double initialScale, double fullAt) =>
        initialScale + ((1 - initialScale) * Math.Min(1.0, Math.Max(0.0, fraction) / fullAt));

    /// <summary>
    /// A side of <paramref name="full"/> pixels at <paramref name="scale"/>: the full side at scale 1, otherwise
    /// full * scale rounded (half away from zero) to a multiple of <see cref="Multiple"/>, within [min(Multiple, full), full].
    /// </summary>
    public static long Side(long full, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(full);
        if (scale >= 1)
        {
            return full;
        }

        long rounded = Multiple * (long)Math.Round(full * scale / Multiple, MidpointRounding.AwayFromZero);
        return Math.Clamp(rounded, Math.Min(Multiple, full), full);
    }

    /// <summary>Images [B, C, H, W] resized to <paramref name="height"/> x <paramref name="width"/> by area averaging (anti-aliased when shrinking).</summary>
    public static Tensor Resize(Tensor images, long height, long width)
    {
        ArgumentNullException.ThrowIfNull(images);
        return nn.functional.interpolate(images, [height, width], mode: InterpolationMode.Area);
    }
}
