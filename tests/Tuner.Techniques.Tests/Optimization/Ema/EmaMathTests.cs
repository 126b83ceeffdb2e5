using Tuner.Techniques.Optimization.Ema;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Ema;

public sealed class EmaMathTests
{
    public EmaMathTests() => set_num_threads(1);

    [Fact]
    public void Update_AlongATrajectory_EqualsTheClosedFormWeightedAverage()
    {
        using var scope = NewDisposeScope();
        double[] trajectory = [1, 5, -2, 7, 3];
        const double Decay = 0.7;
        Tensor average = tensor(new float[] { (float)trajectory[0] });

        for (int t = 1; t < trajectory.Length; t++)
        {
            EmaMath.Update(average, tensor(new float[] { (float)trajectory[t] }), Decay);
        }

        int n = trajectory.Length - 1;
        double closedForm = Enumerable.Range(0, n + 1).Sum(t => EmaMath.Coefficient(t, n, Decay) * trajectory[t]);
        Assert.Equal(closedForm, average.data<float>()[0], 5);
        Assert.Equal(2.8306, closedForm, 5); // 0.7^4 * 1 + 0.3 * (0.7^3 * 5 + 0.7^2 * -2 + 0.7 * 7 + 3)
    }

    [Theory]
    [InlineData(0.9, 10)]
    [InlineData(0.999, 3)]
    public void Coefficient_AllOfThem_SumToOne(double decay, int steps)
    {
        Assert.Equal(1.0, Enumerable.Range(0, steps + 1).Sum(t => EmaMath.Coefficient(t, steps, decay)), 12);
    }
}
