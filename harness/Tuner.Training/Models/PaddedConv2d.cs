using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Training.Models;

/// <summary>
/// A 3x3 convolution (padding 1) whose output channels are not a multiple of <see cref="ChannelMultiple"/>, computed with
/// zero filters appended up to the next multiple and the extra output channels dropped. Same parameters (the wrapped
/// <see cref="Conv"/>'s weight and bias), same outputs, same weight gradients; exact input gradients.
/// </summary>
/// <remarks>
/// Why: in libtorch 2.10's CPU build (oneDNN's AVX-512 kernels), the input gradient of a float32 convolution whose output
/// channel count is not a multiple of 16 is computed from uninitialised memory: NaN or silently wrong, depending on what
/// the allocator hands back (measured: 8 -> 8 channels, 198 of 200 backward passes wrong after a NaN-filled allocation;
/// 16 -> 48 and 1 -> 16 never; capping oneDNN at AVX2 makes it disappear). The mechanism probes found it as an
/// intermittent divergence. Padding the filters keeps every convolution on the correct path; the tests compare the
/// gradients with a float64 reference after dirtying memory.
/// </remarks>
public sealed class PaddedConv2d : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channel counts that are a multiple of this take libtorch's correct path.</summary>
    public const int ChannelMultiple = 16;

#pragma warning disable IDE1006, CA1051 // TorchSharp registers submodules from fields
    private readonly Conv2d conv;
#pragma warning restore IDE1006, CA1051
    private readonly long _outChannels;
    private readonly long _padded;

    public PaddedConv2d(string name, long inChannels, long outChannels)
        : base(name)
    {
        conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        _outChannels = outChannels;
        _padded = PaddedChannels(outChannels);
        RegisterComponents();
    }

    /// <summary>The convolution whose parameters train (techniques find it as any other Conv2d).</summary>
    public Conv2d Conv => conv;

    /// <summary>The next multiple of <see cref="ChannelMultiple"/> at or above <paramref name="channels"/>.</summary>
    public static long PaddedChannels(long channels) => (channels + ChannelMultiple - 1) / ChannelMultiple * ChannelMultiple;

    /// <summary>Whether a convolution with <paramref name="outChannels"/> output channels needs padding.</summary>
    public static bool Needed(long outChannels) => outChannels % ChannelMultiple != 0;

    public override Tensor forward(Tensor input)
    {
        Parameter weight = conv.weight;
        Parameter? bias = conv.bias;
        using Tensor x = input.dtype == weight.dtype ? input.alias() : input.to(weight.dtype);
        using Tensor extra = zeros([_padded - _outChannels, .. weight.shape.Skip(1)], weight.dtype, weight.device);
        using Tensor paddedWeight = cat([weight, extra], 0);
        using Tensor? paddedBias = bias is null ? null : cat([bias, zeros(_padded - _outChannels, bias.dtype, bias.device)], 0);
        using Tensor output = nn.functional.conv2d(x, paddedWeight, paddedBias, padding: [1, 1]);
        return output.narrow(1, 0, _outChannels);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
        }

        base.Dispose(disposing);
    }
}
