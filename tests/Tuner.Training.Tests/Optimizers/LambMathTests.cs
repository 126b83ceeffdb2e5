using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Optimizers;

public sealed class LambMathTests
{
    public LambMathTests() => set_num_threads(1);

    [Theory]
    [InlineData(5.0, 2.0, 2.5)]
    [InlineData(0.0, 2.0, 1.0)]
    [InlineData(3.0, 0.0, 1.0)]
    public void TrustRatio_Norms_IsTheirRatioOrOneWhenEitherIsZero(double weightNorm, double updateNorm, double expected)
    {
        Assert.Equal(expected, LambMath.TrustRatio(weightNorm, updateNorm), 12);
    }

    [Fact]
    public void Update_TwoSteps_EqualsHandComputation()
    {
        using var scope = NewDisposeScope();
        double[] w = [3, 4];
        double[][] gradients = [[1, -2], [0.5, 1]];
        var options = new AdamOptions { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-6, WeightDecay = 0.01 };
        const double Rate = 0.1;

        Tensor weights = tensor(w.Select(x => (float)x).ToArray());
        Tensor m = zeros_like(weights);
        Tensor v = zeros_like(weights);
        double[] hm = [0, 0], hv = [0, 0];
        for (int t = 1; t <= 2; t++)
        {
            double[] g = gradients[t - 1];
            LambMath.Update(weights, tensor(g.Select(x => (float)x).ToArray()), m, v, t, Rate, options);

            double[] u = new double[2];
            for (int i = 0; i < 2; i++)
            {
                hm[i] = (0.9 * hm[i]) + (0.1 * g[i]);
                hv[i] = (0.999 * hv[i]) + (0.001 * g[i] * g[i]);
                double mHat = hm[i] / (1 - Math.Pow(0.9, t));
                double vHat = hv[i] / (1 - Math.Pow(0.999, t));
                u[i] = (mHat / (Math.Sqrt(vHat) + 1e-6)) + (0.01 * w[i]);
            }

            double ratio = Math.Sqrt((w[0] * w[0]) + (w[1] * w[1])) / Math.Sqrt((u[0] * u[0]) + (u[1] * u[1]));
            w = [w[0] - (Rate * ratio * u[0]), w[1] - (Rate * ratio * u[1])];
        }

        float[] actual = weights.data<float>().ToArray();
        Assert.Equal(w[0], actual[0], 5);
        Assert.Equal(w[1], actual[1], 5);

        // Pin the first step itself: u ~ (1.03, -0.96), ||w|| = 5, so w moves by 0.1 * 5 = 0.5 along u / ||u||.
        double[] u1 = [1.03, -0.96];
        double scale = 0.5 / Math.Sqrt((u1[0] * u1[0]) + (u1[1] * u1[1]));
        Tensor once = tensor(new float[] { 3f, 4f });
        LambMath.Update(once, tensor(new float[] { 1f, -2f }), zeros_like(once), zeros_like(once), 1, Rate, options);
        Assert.Equal(3 - (scale * u1[0]), once.data<float>()[0], 4);
        Assert.Equal(4 - (scale * u1[1]), once.data<float>()[1], 4);
    }

    [Fact]
    public void Update_ZeroWeights_FallsBackToThePlainRate()
    {
        using var scope = NewDisposeScope();
        Tensor weights = zeros(2);

        LambMath.Update(weights, tensor(new float[] { 2f, -1f }), zeros(2), zeros(2), 1, 0.1, new AdamOptions { Epsilon = 1e-6, WeightDecay = 0 });

        Assert.Equal(-0.1, weights.data<float>()[0], 5);
        Assert.Equal(0.1, weights.data<float>()[1], 5);
    }
}
