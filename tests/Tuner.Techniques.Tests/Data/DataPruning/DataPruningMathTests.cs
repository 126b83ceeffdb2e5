using Tuner.Techniques.Data.DataPruning;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.DataPruning;

public sealed class DataPruningMathTests
{
    public DataPruningMathTests() => TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void El2n_SmallLogits_IsTheNormOfSoftmaxMinusOneHot()
    {
        using var scope = NewDisposeScope();
        float[] logits = [2f, 0f, -1f, 0.5f, 0.5f, 3f, 0f, 0f, 0f];
        long[] labels = [0, 0, 1];
        double[] expected = DataTestSupport.El2nByHand(logits, labels, 3);

        float[] scores = DataTestSupport.Floats(DataPruningMath.El2n(tensor(logits, [3, 3]), tensor(labels)));

        Assert.Equal(3, scores.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], scores[i], 5);
        }

        // Uniform prediction over 3 classes: ||(1/3 - 1, 1/3, 1/3)|| = sqrt(4/9 + 2/9).
        Assert.Equal(Math.Sqrt(6.0) / 3, scores[2], 5);
    }

    [Theory]
    [InlineData(0.7, 1437, 1006)]
    [InlineData(0.5, 5, 3)]
    [InlineData(1.0, 10, 10)]
    [InlineData(0.001, 10, 1)]
    public void KeptCount_Fraction_IsRoundedAndAtLeastOne(double keep, long rows, long expected)
    {
        Assert.Equal(expected, DataPruningMath.KeptCount(keep, rows));
    }

    [Fact]
    public void HardestRows_Scores_AreTheHighestScoringRows()
    {
        using var scope = NewDisposeScope();

        long[] rows = DataTestSupport.Longs(DataPruningMath.HardestRows(tensor(new float[] { 0.1f, 0.9f, 0.5f, 1.2f, 0.0f }), 3));

        Assert.Equal([3, 1, 2], rows);
    }
}
