using static TorchSharp.torch;

namespace Tuner.Techniques.Model.ChannelsLast;

/// <summary>
/// The channels-last (NHWC) memory format of a 4-d [N, C, H, W] tensor: the same shape and values, with the channel as the
/// fastest-moving dimension in memory, strides [H*W*C, 1, W*C, C]. TorchSharp 0.107 has no <c>contiguous(memory_format)</c>,
/// so the layout comes from a permute to NHWC, a copy, and a permute back.
/// </summary>
public static class ChannelsLastMath
{
    /// <summary>The strides of a channels-last tensor of <paramref name="shape"/> [N, C, H, W].</summary>
    public static long[] Strides(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count != 4)
        {
            throw new ArgumentException($"channels-last needs a 4-d [N, C, H, W] shape, not [{string.Join(", ", shape)}]", nameof(shape));
        }

        long c = shape[1], h = shape[2], w = shape[3];
        return [h * w * c, 1, w * c, c];
    }

    /// <summary>
    /// Whether a 4-d tensor has exactly the channels-last strides, size-1 dimensions included: a one-channel image batch is
    /// then told apart from its NCHW layout (strides [H*W, H*W, W, 1]), as libtorch tells them apart.
    /// </summary>
    public static bool IsChannelsLast(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.dim() == 4 && tensor.stride().SequenceEqual(Strides(tensor.shape));
    }

    /// <summary>
    /// A channels-last copy of a 4-d tensor (the same values; differentiable): the values packed in NHWC order, viewed with
    /// the channels-last strides. The view is explicit because with one channel the packed NHWC tensor already counts as
    /// contiguous and a plain permute back would keep the NCHW strides.
    /// </summary>
    public static Tensor ToChannelsLast(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Tensor nhwc = tensor.permute(0, 2, 3, 1);
        using Tensor packed = nhwc.contiguous();
        return packed.as_strided(tensor.shape, Strides(tensor.shape), packed.storage_offset());
    }
}
