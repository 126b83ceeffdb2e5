using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Precision;

/// <summary>
/// Mixed-precision layer math (Micikevicius et al., 2018; Kalamkar et al., 2019): a layer computes on a working-precision
/// cast of its float32 master weights. The casts are differentiable, so the gradients reach the float32 masters in float32
/// (what autocast does; TorchSharp 0.107 has no autocast).
/// </summary>
public static class PrecisionMath
{
    /// <summary>The working precision of the forward pass: bfloat16 (float32's exponent range, so no loss scaling is needed).</summary>
    public const ScalarType WorkingType = ScalarType.BFloat16;

    /// <summary>input W^T + b with input, W and b cast to <paramref name="dtype"/>; the result is in <paramref name="dtype"/>.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using Tensor x = input.to(dtype);
        using Tensor w = weight.to(dtype);
        using Tensor? b = bias?.to(dtype);
        return nn.functional.linear(x, w, b);
    }
}
