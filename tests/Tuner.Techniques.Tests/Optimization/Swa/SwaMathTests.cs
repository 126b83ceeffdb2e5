using Tuner.Techniques.Optimization.Swa;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Swa;

public sealed class SwaMathTests
{
    public SwaMathTests() => set_num_threads(1);

    [Fact]
    public void Update_RunningMean_EqualsTheArithmeticMeanOfTheSnapshots()
    {
        using var scope = NewDisposeScope();
        float[][] snapshots = [[1f, 10f], [2f, -4f], [6f, 0f], [3f, 2f]];
        Tensor average = tensor(snapshots[0]);

        for (int n = 1; n < snapshots.Length; n++)
        {
            SwaMath.Update(average, tensor(snapshots[n]), n);
        }

        Assert.Equal(3.0, average.data<float>()[0], 6);
        Assert.Equal(2.0, average.data<float>()[1], 6);
    }

    [Theory]
    [InlineData(0.5, 0.75, 0, 1, false)]
    [InlineData(0.75, 0.75, 0, 3, true)]
    [InlineData(0.8, 0.75, 2, 3, false)]
    [InlineData(0.9, 0.75, 3, 3, true)]
    [InlineData(0.0, 0.0, 5, 1, true)]
    public void TakesSnapshot_FractionAndCount_OnlyFromTheStartAndEveryKthStep(double fraction, double start, long since, int every, bool expected)
    {
        Assert.Equal(expected, SwaMath.TakesSnapshot(fraction, start, since, every));
    }
}
