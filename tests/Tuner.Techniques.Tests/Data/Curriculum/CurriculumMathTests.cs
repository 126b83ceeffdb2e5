using Tuner.Techniques.Data.Curriculum;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.Curriculum;

public sealed class CurriculumMathTests
{
    public CurriculumMathTests() => TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void EasyToHard_Scores_OrdersRowsByAscendingScoreKeepingTiesInRowOrder()
    {
        using var scope = NewDisposeScope();

        long[] order = DataTestSupport.Longs(CurriculumMath.EasyToHard(tensor(new float[] { 0.3f, 0.1f, 0.2f, 0.1f, 0.05f })));

        Assert.Equal([4, 1, 3, 2, 0], order);
    }

    [Theory]
    [InlineData(1.0, 0, 1, 100)]
    [InlineData(0.5, 0, 1, 50)]
    [InlineData(0.5, 0, 3, 50)]
    [InlineData(0.5, 1, 3, 75)]
    [InlineData(0.5, 2, 3, 100)]
    [InlineData(0.001, 0, 2, 1)]
    public void PacedCount_CurriculumEpoch_GrowsLinearlyFromTheStartFractionToAllRows(double start, int epoch, int epochs, long expected)
    {
        Assert.Equal(expected, CurriculumMath.PacedCount(100, start, epoch, epochs));
    }
}
