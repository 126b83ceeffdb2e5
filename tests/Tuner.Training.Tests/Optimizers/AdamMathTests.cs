using TorchSharp.Modules;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Optimizers;

public sealed class AdamMathTests
{
    public AdamMathTests() => set_num_threads(1);

    private static (float[] Ours, float[] Torch, float[] Start) FiveSteps(bool decoupled, double weightDecay)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        Tensor start = randn(4, 3, generator: generator);
        Tensor[] gradients = [.. Enumerable.Range(0, 5).Select(_ => randn(4, 3, generator: generator))];
        var options = new AdamOptions { Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-7, WeightDecay = weightDecay };

        Tensor w = start.clone();
        Tensor m = zeros_like(w);
        Tensor v = zeros_like(w);
        for (int t = 0; t < gradients.Length; t++)
        {
            AdamMath.Update(w, gradients[t], m, v, t + 1, 0.01, options, decoupled);
        }

        var p = new Parameter(start.clone());
        using optim.Optimizer optimizer = decoupled
            ? optim.AdamW([p], 0.01, options.Beta1, options.Beta2, options.Epsilon, weightDecay)
            : optim.Adam([p], 0.01, options.Beta1, options.Beta2, options.Epsilon, weightDecay);
        foreach (Tensor g in gradients)
        {
            optimizer.zero_grad();
            p.mul(g).sum().backward();
            optimizer.step();
        }

        return (w.data<float>().ToArray(), p.detach().data<float>().ToArray(), start.data<float>().ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Update_FiveSteps_MatchesTorchAdam(double weightDecay)
    {
        (float[] ours, float[] torchAdam, float[] start) = FiveSteps(decoupled: false, weightDecay);

        for (int i = 0; i < ours.Length; i++)
        {
            Assert.Equal(torchAdam[i], ours[i], 5);
        }

        Assert.True(Math.Abs(ours[0] - start[0]) > 0.01, "five Adam steps of lr 0.01 move each weight by about 0.05");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    public void Update_Decoupled_MatchesTorchAdamW(double weightDecay)
    {
        (float[] ours, float[] torchAdamW, _) = FiveSteps(decoupled: true, weightDecay);

        for (int i = 0; i < ours.Length; i++)
        {
            Assert.Equal(torchAdamW[i], ours[i], 5);
        }
    }

    [Fact]
    public void Update_FirstStep_MovesEachWeightByAboutTheLearningRateAgainstTheGradientSign()
    {
        using var scope = NewDisposeScope();
        Tensor w = tensor(new float[] { 1f, 1f, 1f });
        Tensor g = tensor(new float[] { 3f, -0.002f, 0f });

        AdamMath.Update(w, g, zeros_like(w), zeros_like(w), 1, 0.1, new AdamOptions(), decoupled: false);

        // m_hat = g, v_hat = g^2: the step is lr * g / (|g| + eps)
        float[] after = w.data<float>().ToArray();
        Assert.Equal(0.9, after[0], 5);
        Assert.Equal(1.1, after[1], 4);
        Assert.Equal(1.0, after[2], 6);
    }
}
