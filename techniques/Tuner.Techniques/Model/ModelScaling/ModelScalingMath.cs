using Tuner.Training.Models;

namespace Tuner.Techniques.Model.ModelScaling;

/// <summary>Width and depth scaling of a <see cref="ModelSpec"/> (the two axes of Tan and Le's compound scaling, EfficientNet, ICML 2019).</summary>
public static class ModelScalingMath
{
    /// <summary>A width (units or channels) times <paramref name="multiplier"/>, rounded half away from zero, at least 1.</summary>
    public static int ScaleWidth(int width, double multiplier) =>
        Math.Max(1, (int)Math.Round(width * multiplier, MidpointRounding.AwayFromZero));

    /// <summary>A layer or block count times <paramref name="multiplier"/>, rounded, at least 1; a count of 0 stays 0.</summary>
    public static int ScaleCount(int count, double multiplier) =>
        count == 0 ? 0 : Math.Max(1, (int)Math.Round(count * multiplier, MidpointRounding.AwayFromZero));

    /// <summary>
    /// A list of layer widths with its length scaled by <paramref name="depth"/>: the first layers kept when it shrinks, the
    /// last width repeated when it grows.
    /// </summary>
    public static IReadOnlyList<int> ScaleLayers(IReadOnlyList<int> widths, double depth)
    {
        ArgumentNullException.ThrowIfNull(widths);
        int count = ScaleCount(widths.Count, depth);
        return [.. Enumerable.Range(0, count).Select(i => widths[Math.Min(i, widths.Count - 1)])];
    }

    /// <summary>
    /// The scaled model: every hidden width and convolution channel count times <paramref name="width"/>; the depth multiplier
    /// scales the number of hidden layers (mlp, and the fully connected layers of a cnn) or of residual blocks (resmlp). A cnn
    /// keeps its number of convolution blocks (each one halves the image, so more of them would pool the image away). A
    /// Transformer scales its width per head (the head count stays) and its number of blocks.
    /// </summary>
    public static ModelSpec Transform(ModelSpec spec, double width, double depth)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ReadsTokens)
        {
            // A Transformer: the width in whole heads (at least one per head), the depth in blocks.
            int perHead = Math.Max(1, ScaleWidth(spec.Width / spec.Heads, width));
            return spec with { Width = perHead * spec.Heads, Layers = ScaleCount(spec.Layers, depth) };
        }

        int[] hidden = [.. spec.Hidden.Select(h => ScaleWidth(h, width))];
        int[] channels = [.. spec.Channels.Select(c => ScaleWidth(c, width))];
        return spec.Kind == "resmlp"
            ? spec with { Hidden = hidden, Channels = channels, Blocks = ScaleCount(spec.Blocks, depth) }
            : spec with { Hidden = ScaleLayers(hidden, depth), Channels = channels };
    }
}
