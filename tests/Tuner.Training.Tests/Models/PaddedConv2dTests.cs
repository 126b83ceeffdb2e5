using TorchSharp;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Models;

/// <summary>
/// libtorch 2.10's AVX-512 convolution backward reads uninitialised memory for output channel counts that are not a
/// multiple of 16 (see <see cref="PaddedConv2d"/>). These tests dirty the allocator with NaN first, then check the cnn's
/// gradients against the same model in float64 (libtorch's reference kernels, not oneDNN's).
/// </summary>
public sealed class PaddedConv2dTests
{
    public PaddedConv2dTests() => set_num_threads(1);

    [Theory]
    [InlineData(new[] { 4, 8 })]
    [InlineData(new[] { 8, 12 })]
    [InlineData(new[] { 16, 24 })]
    [InlineData(new[] { 16, 32 })]
    public void Cnn_AfterNaNFilledAllocations_HasTheFloat64ReferenceGradients(int[] channels)
    {
        for (int repeat = 0; repeat < 20; repeat++)
        {
            using DisposeScope scope = NewDisposeScope();
            manual_seed(repeat);
            using var model = ModelFactory.Create(new ModelSpec("cnn", [32], channels), [1, 8, 8], 10);
            using var reference = ModelFactory.Create(new ModelSpec("cnn", [32], channels), [1, 8, 8], 10);
            reference.to(ScalarType.Float64);
            using (no_grad())
            {
                foreach ((TorchSharp.Modules.Parameter target, TorchSharp.Modules.Parameter source) in reference.parameters().Zip(model.parameters()))
                {
                    target.copy_(source.to(ScalarType.Float64));
                }
            }

            Tensor x = randn(32, 1, 8, 8);
            Tensor y = randint(0, 10, [32]);
            DirtyTheAllocator();
            nn.functional.cross_entropy(model.call(x), y).backward();
            nn.functional.cross_entropy(reference.call(x.to(ScalarType.Float64)), y).backward();

            foreach ((TorchSharp.Modules.Parameter p, TorchSharp.Modules.Parameter r) in model.parameters().Zip(reference.parameters()))
            {
                double error = p.grad!.to(ScalarType.Float64).sub(r.grad!).abs().max().item<double>();
                double scale = r.grad!.abs().max().item<double>() + 1e-6;
                Assert.True(error <= 1e-4 * scale, $"channels [{string.Join(", ", channels)}], repeat {repeat}: a gradient is {error:g3} off (scale {scale:g3})");
            }
        }
    }

    [Fact]
    public void ModelFactory_ChannelsNotAMultipleOf16_ArePaddedAndKeepTheirParameters()
    {
        using var model = ModelFactory.Create(new ModelSpec("cnn", [32], [8, 16]), [1, 8, 8], 10);

        Assert.Single(model.modules().OfType<PaddedConv2d>());
        Assert.Equal(["8x1x3x3", "8", "16x8x3x3", "16", "32x64", "32", "10x32", "10"], model.parameters().Select(p => string.Join("x", p.shape)));
    }

    private static void DirtyTheAllocator()
    {
        using DisposeScope scope = NewDisposeScope();
        for (int i = 1; i <= 20; i++)
        {
            _ = full(1000 * i, float.NaN, ScalarType.Float32);
        }
    }
}
