using Tuner.Techniques.Optimization.Sam;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Sam;

public sealed class SamMathTests
{
    public SamMathTests() => set_num_threads(1);

    [Fact]
    public void Perturbations_TwoTensors_HaveGlobalNormRhoAndTheGradientsDirection()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new float[] { 3f, 0f });
        Tensor b = tensor(new float[] { 0f, 4f, 0f }); // global norm 5

        Tensor[] e = SamMath.Perturbations([a, b], 0.5);

        Assert.Equal(2, e.Length);
        Assert.Equal([0.3f, 0f], e[0].data<float>().ToArray());
        Assert.Equal(0f, e[1].data<float>()[0]);
        Assert.Equal(0.4f, e[1].data<float>()[1], 6);
    }

    [Fact]
    public void Perturbations_ZeroGradients_AreZeroNotNaN()
    {
        using var scope = NewDisposeScope();

        Tensor[] e = SamMath.Perturbations([zeros(3)], 0.05);

        Assert.All(e[0].data<float>().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Perturbations_LiveInTheCallersScope()
    {
        Tensor[] e;
        using (var scope = NewDisposeScope())
        {
            e = SamMath.Perturbations([ones(2)], 1);
            Assert.False(e[0].IsInvalid);
        }

        Assert.True(e[0].IsInvalid);
    }
}
