using TorchSharp.Modules;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Optimizers;

public sealed class NesterovMathTests
{
    public NesterovMathTests() => set_num_threads(1);

    [Theory]
    [InlineData(0.9, 0.0)]
    [InlineData(0.5, 0.01)]
    public void Update_FiveSteps_MatchesTorchSgdWithNesterov(double momentum, double weightDecay)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        Tensor start = randn(3, 4, generator: generator);
        Tensor[] gradients = [.. Enumerable.Range(0, 5).Select(_ => randn(3, 4, generator: generator))];

        Tensor w = start.clone();
        Tensor buffer = zeros_like(w);
        for (int t = 0; t < gradients.Length; t++)
        {
            NesterovMath.Update(w, gradients[t], buffer, t == 0, 0.05, momentum, weightDecay);
        }

        var p = new Parameter(start.clone());
        using SGD sgd = optim.SGD([p], 0.05, momentum, 0, weightDecay, true);
        foreach (Tensor g in gradients)
        {
            sgd.zero_grad();
            p.mul(g).sum().backward();
            sgd.step();
        }

        float[] expected = p.detach().data<float>().ToArray();
        float[] actual = w.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }

        Assert.True(start.sub(w).abs().max().item<float>() > 0.01f, "the steps must move the weights, or the comparison proves nothing");
    }

    [Fact]
    public void Update_FirstStep_IsGradientPlusMomentumTimesGradient()
    {
        using var scope = NewDisposeScope();
        Tensor w = tensor(new float[] { 1f, -2f });
        Tensor g = tensor(new float[] { 0.5f, 0.25f });
        Tensor buffer = zeros_like(w);

        NesterovMath.Update(w, g, buffer, first: true, learningRate: 0.1, momentum: 0.9, weightDecay: 0);

        // buffer = g; w -= lr * (g + 0.9 g) = lr * 1.9 g
        Assert.Equal([1f - (0.1f * 1.9f * 0.5f), -2f - (0.1f * 1.9f * 0.25f)], w.data<float>().ToArray());
        Assert.Equal([0.5f, 0.25f], buffer.data<float>().ToArray());
    }
}
