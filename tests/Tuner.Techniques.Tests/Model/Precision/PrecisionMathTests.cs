using Tuner.Techniques.Model.Precision;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Model.Precision;

public sealed class PrecisionMathTests
{
    private static Tensor RoundTrip(Tensor t) => t.to(ScalarType.BFloat16).to(ScalarType.Float32);

    [Fact]
    public void Linear_Bfloat16_IsTheFloat32ProductOfTheRoundedOperandsWithinOneOutputRounding()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        Tensor x = randn(8, 32), w = randn(16, 32), b = randn(16);

        Tensor y = PrecisionMath.Linear(x, w, b, ScalarType.BFloat16);
        Tensor reference = nn.functional.linear(RoundTrip(x), RoundTrip(w), RoundTrip(b));
        Tensor exact = nn.functional.linear(x, w, b);

        Assert.Equal(ScalarType.BFloat16, y.dtype);
        Tensor error = y.to(ScalarType.Float32).sub(reference).abs();
        Tensor bound = reference.abs().mul(1.0 / 128).add(1e-2); // one bf16 rounding of the result (8 significant bits)
        Assert.True(error.le(bound).all().item<bool>(), $"max error {error.max().item<float>()}");
        Assert.True(y.to(ScalarType.Float32).sub(exact).abs().max().item<float>() > 1e-4, "a bf16 result equal to the fp32 one proves nothing");
    }

    [Fact]
    public void Linear_Backward_ReachesTheFloat32MasterWeightsInFloat32()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        Tensor x = randn(8, 32);
        Tensor w = randn(16, 32).requires_grad_(true);

        PrecisionMath.Linear(x, w, null, ScalarType.BFloat16).sum().backward();

        // d(sum(x W^T)) / dW[j, k] = sum over rows of x[:, k], for every output j.
        Tensor expected = RoundTrip(x).sum(0L).expand(16, 32); // sum(0) would be sum(dtype: Byte)
        Assert.Equal(ScalarType.Float32, w.grad!.dtype);
        Assert.True(w.grad.allclose(expected, rtol: 1e-2, atol: 5e-2), $"max error {w.grad.sub(expected).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(128, 784, 256)] // fashion-mlp
    [InlineData(128, 256, 10)]
    [InlineData(128, 1568, 128)] // fashion-cnn's fully connected layers
    [InlineData(128, 128, 10)]
    [InlineData(32, 64, 64)] // digits
    [InlineData(32, 64, 10)]
    public void Linear_SuiteShapes_ForwardAndBothGradientsMatchTheFloat32ComputationOfTheRoundedOperands(int rows, int inputs, int outputs)
    {
        // Guards against libtorch's CPU bfloat16 kernels returning wrong values for some shapes (its convolutions do).
        using var scope = NewDisposeScope();
        manual_seed(6);
        Tensor x = randn(rows, inputs), upstream = randn(rows, outputs);
        Tensor w = randn(outputs, inputs).div(Math.Sqrt(inputs)).requires_grad_(true);
        Tensor xb = x.to(ScalarType.BFloat16).requires_grad_(true);
        Tensor xr = RoundTrip(x).requires_grad_(true);
        Tensor wr = RoundTrip(w.detach()).requires_grad_(true);

        Tensor y = PrecisionMath.Linear(xb, w, null, ScalarType.BFloat16);
        y.backward([upstream.to(ScalarType.BFloat16)]);
        Tensor reference = nn.functional.linear(xr, wr);
        reference.backward([RoundTrip(upstream)]);

        Assert.True(RelativeError(y, reference) < 0.02, $"forward {RelativeError(y, reference)}");
        Assert.True(RelativeError(xb.grad!, xr.grad!) < 0.02, $"input gradient {RelativeError(xb.grad!, xr.grad!)}");
        Assert.True(RelativeError(w.grad!, wr.grad!) < 0.02, $"weight gradient {RelativeError(w.grad!, wr.grad!)}");
    }

    private static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return actual.to(ScalarType.Float32).sub(expected).abs().max().item<float>() / expected.abs().max().item<float>();
    }
}
