using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Optimizers;

public sealed class LarsMathTests
{
    public LarsMathTests() => set_num_threads(1);

    [Theory]
    [InlineData(5.0, 2.0, 0.001, 0.0, 0.0025)]
    [InlineData(5.0, 2.0, 0.02, 0.1, 0.04)]
    [InlineData(0.0, 2.0, 0.02, 0.1, 1.0)]
    [InlineData(5.0, 0.0, 0.02, 0.1, 1.0)]
    public void LocalRate_Norms_IsTrustTimesWeightNormOverGradientNormPlusDecay(double weightNorm, double gradientNorm, double trust, double decay, double expected)
    {
        Assert.Equal(expected, LarsMath.LocalRate(weightNorm, gradientNorm, trust, decay), 12);
    }

    [Fact]
    public void Update_TwoSteps_EqualsHandComputation()
    {
        using var scope = NewDisposeScope();
        var options = new LarsOptions { Momentum = 0.9, Trust = 0.02, WeightDecay = 0.1 };
        const double Rate = 0.5;
        double[] w = [3, 4];
        double[] velocity = [0, 0];
        double[][] gradients = [[1, -2], [0.5, 0.5]];

        Tensor weights = tensor(new float[] { 3f, 4f });
        Tensor buffer = zeros(2);
        foreach (double[] g in gradients)
        {
            LarsMath.Update(weights, tensor(g.Select(x => (float)x).ToArray()), buffer, Rate, options);

            double wn = Math.Sqrt((w[0] * w[0]) + (w[1] * w[1]));
            double gn = Math.Sqrt((g[0] * g[0]) + (g[1] * g[1]));
            double local = 0.02 * wn / (gn + (0.1 * wn));
            for (int i = 0; i < 2; i++)
            {
                velocity[i] = (0.9 * velocity[i]) + (Rate * local * (g[i] + (0.1 * w[i])));
                w[i] -= velocity[i];
            }
        }

        float[] actual = weights.data<float>().ToArray();
        Assert.Equal(w[0], actual[0], 5);
        Assert.Equal(w[1], actual[1], 5);

        // Pin the first step: ||w|| = 5, ||g|| = sqrt 5, local = 0.1 / (sqrt 5 + 0.5); v = 0.5 * local * (g + 0.1 w).
        double local1 = 0.1 / (Math.Sqrt(5) + 0.5);
        Tensor once = tensor(new float[] { 3f, 4f });
        LarsMath.Update(once, tensor(new float[] { 1f, -2f }), zeros(2), Rate, options);
        Assert.Equal(3 - (0.5 * local1 * 1.3), once.data<float>()[0], 5);
        Assert.Equal(4 - (0.5 * local1 * -1.6), once.data<float>()[1], 5);
    }
}
