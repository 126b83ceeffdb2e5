using Tuner.Data;
using Tuner.Suites.Loading;

namespace Tuner.Suites.Tests.Loading;

public sealed class StratifiedSplitTests
{
    // 100 of class 0, 50 of class 1, 10 of class 2, interleaved by a fixed permutation (37 is coprime with 160).
    private static readonly int[] Labels =
    [
        .. Enumerable.Repeat(0, 100).Concat(Enumerable.Repeat(1, 50)).Concat(Enumerable.Repeat(2, 10))
            .Select((label, i) => (Label: label, Position: i * 37 % 160)).OrderBy(t => t.Position).Select(t => t.Label),
    ];

    [Fact]
    public void Split_SameSeed_GivesTheSameRows()
    {
        (int[] train1, int[] test1) = StratifiedSplit.Split(Labels, 0.2, seed: 5);
        (int[] train2, int[] test2) = StratifiedSplit.Split(Labels, 0.2, seed: 5);

        Assert.Equal(train1, train2);
        Assert.Equal(test1, test2);
    }

    [Fact]
    public void Split_OtherSeed_GivesOtherTestRows()
    {
        (_, int[] test1) = StratifiedSplit.Split(Labels, 0.2, seed: 5);
        (_, int[] test2) = StratifiedSplit.Split(Labels, 0.2, seed: 6);

        Assert.NotEqual(test1, test2);
        Assert.Equal(test1.Length, test2.Length);
    }

    [Fact]
    public void Split_TrainAndTest_AreDisjointSortedAndCoverEveryRow()
    {
        (int[] train, int[] test) = StratifiedSplit.Split(Labels, 0.3, seed: 1);

        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, Labels.Length), train.Concat(test).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(test.Order(), test);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    public void Split_EachClass_GetsItsRoundedShareInTest(double fraction)
    {
        (_, int[] test) = StratifiedSplit.Split(Labels, fraction, seed: 2);

        foreach (IGrouping<int, int> cls in Labels.GroupBy(l => l))
        {
            int expected = (int)Math.Round(cls.Count() * fraction, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, test.Count(i => Labels[i] == cls.Key));
        }
    }

    [Fact]
    public void Split_TinyClasses_KeepOneRowOnEachSideWhenPossible()
    {
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2];

        (int[] train, int[] test) = StratifiedSplit.Split(labels, 0.01, seed: 0);

        Assert.Equal(1, test.Count(i => labels[i] == 0)); // rounds to 0, raised to 1
        Assert.Equal(1, test.Count(i => labels[i] == 1));
        Assert.Equal(1, train.Count(i => labels[i] == 1));
        Assert.Equal([12], train.Where(i => labels[i] == 2)); // a single row stays in train
    }

    [Fact]
    public void Split_RealDigitsLabels_IsStratifiedPerClass()
    {
        NumericTable digits = RealData.DigitsTable();

        (int[] train, int[] test) = StratifiedSplit.Split(digits.Labels, 0.2, seed: 0);

        Assert.Equal(digits.Rows, train.Length + test.Length);
        Assert.InRange(test.Length, 355, 365);
        for (int k = 0; k < 10; k++)
        {
            int total = digits.Labels.Count(l => l == k);
            int inTest = test.Count(i => digits.Labels[i] == k);
            Assert.InRange(inTest / (double)total, 0.19, 0.21);
        }
    }
}
