using Tuner.Techniques.Data.SelectiveBackprop;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.SelectiveBackprop;

public sealed class SelectiveBackpropMathTests
{
    public SelectiveBackpropMathTests() => TorchSharp.torch.set_num_threads(1);

    [Theory]
    [InlineData(0.5, 32, 16)]
    [InlineData(0.5, 33, 17)]
    [InlineData(0.3, 10, 3)] // 0.3 * 10 is 3.0000000000000004 in binary: still 3
    [InlineData(0.01, 10, 1)]
    [InlineData(1.0, 7, 7)]
    [InlineData(0.5, 1, 1)]
    public void SelectedCount_FractionOfBatch_IsCeilingWithAtLeastOne(double fraction, long batch, int expected)
    {
        Assert.Equal(expected, SelectiveBackpropMath.SelectedCount(fraction, batch));
    }

    [Fact]
    public void HighestLossRows_SmallBatch_AreTheRowsWithTheLargestCrossEntropy()
    {
        using var scope = NewDisposeScope();
        // All labels 0. Row losses: row 0 confident right (0.007), row 1 confident wrong (5.007), row 2 unsure (0.644), row 3 wrong (2.127).
        float[] logits = [5, 0, 0, 5, 0.1f, 0, 0, 2];
        long[] labels = [0, 0, 0, 0];

        long[] rows = DataTestSupport.Longs(SelectiveBackpropMath.HighestLossRows(tensor(logits, [4, 2]), tensor(labels), 2));

        Assert.Equal([1, 3], rows.Order());
    }

    [Fact]
    public void Loss_SmallBatch_IsTheMeanCrossEntropyOfTheTopKRowsOnly()
    {
        using var scope = NewDisposeScope();
        float[] logits = [5, 0, 0, 5, 0.1f, 0, 0, 2];
        long[] labels = [0, 0, 0, 0];
        double[] perRow = DataTestSupport.CrossEntropyByHand(logits, labels, 2);

        double loss = SelectiveBackpropMath.Loss(TrainingState.CrossEntropy, tensor(logits, [4, 2]), tensor(labels), 0.5).item<float>();

        Assert.Equal((perRow[1] + perRow[3]) / 2, loss, 5);
        Assert.True(Math.Abs(loss - perRow.Average()) > 0.5, "the full-batch mean must differ, or the test proves nothing");
    }

    [Fact]
    public void Loss_Gradient_ReachesExactlyTheSelectedRows()
    {
        using var scope = NewDisposeScope();
        Tensor logits = randn(10, 4, generator: new Generator(5)).requires_grad_(true);
        Tensor labels = randint(0, 4, [10], generator: new Generator(6));

        SelectiveBackpropMath.Loss(TrainingState.CrossEntropy, logits, labels, 0.3).backward();

        long[] selected = DataTestSupport.Longs(SelectiveBackpropMath.HighestLossRows(logits, labels, 3));
        float[] grad = DataTestSupport.Floats(logits.grad!);
        for (int row = 0; row < 10; row++)
        {
            double norm = Enumerable.Range(0, 4).Sum(k => Math.Abs(grad[(row * 4) + k]));
            Assert.True(selected.Contains(row) ? norm > 0 : norm == 0, $"row {row}: gradient norm {norm}");
        }
    }
}
