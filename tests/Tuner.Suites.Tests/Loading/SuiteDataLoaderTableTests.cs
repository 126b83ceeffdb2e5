using Tuner.Core.Errors;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Suites.Specs;
using static TorchSharp.torch;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Tests.Loading;

public sealed class SuiteDataLoaderTableTests
{
    private static readonly DataSpec Spec = new() { Format = "csv", Path = "unused.csv", TestFraction = 0.25, SplitSeed = 4 };

    public SuiteDataLoaderTableTests() => TorchSharp.torch.set_num_threads(1);

    /// <summary>Every row of a split as the model sees it (float32, normalised).</summary>
    private static Tensor Inputs(Tuner.Training.Data.TensorDataset split) => split.Slice(0, split.Count);

    /// <summary>Rows with three features on very different scales and a constant fourth; labels cycle over 3 classes.</summary>
    private static NumericTable Table(int rows = 120, Func<int, int, float>? feature = null)
    {
        feature ??= (r, j) => j switch
        {
            0 => r * 0.5f,
            1 => 1000f + (float)Math.Sin(r) * 300f,
            2 => -3f + (r % 7),
            _ => 42f,
        };
        float[] x = new float[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < 4; j++)
            {
                x[(r * 4) + j] = feature(r, j);
            }
        }

        return new NumericTable(x, [.. Enumerable.Range(0, rows).Select(r => r % 3)], rows, 4, ["a", "b", "c"]);
    }

    [Fact]
    public void FromTable_TrainSplit_IsStandardisedPerFeature()
    {
        using WorkloadData data = SuiteDataLoader.FromTable(Table(), Spec);

        float[] mean = Inputs(data.Train).mean([0]).data<float>().ToArray();
        float[] std = Inputs(data.Train).std(0).data<float>().ToArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.InRange(mean[j], -1e-4f, 1e-4f);
            Assert.InRange(std[j], 0.9999f, 1.0001f);
        }

        Assert.InRange(mean[3], -1e-6f, 1e-6f); // constant feature: centred, not divided by ~0
        Assert.InRange(std[3], -1e-6f, 1e-6f);
    }

    [Fact]
    public void FromTable_Splits_FollowTheThreeWayStratifiedSplitWithTheSuiteSeed()
    {
        NumericTable table = Table();
        (int[] trainRows, int[] validationRows, int[] testRows) = StratifiedSplit.ThreeWay(table.Labels, Spec.TestFraction, Spec.ValidationFraction, Spec.SplitSeed);

        using WorkloadData data = SuiteDataLoader.FromTable(table, Spec);

        Assert.Equal(trainRows.Length, data.Train.Count);
        Assert.Equal(validationRows.Length, data.Validation.Count);
        Assert.Equal(testRows.Length, data.Test.Count);
        Assert.Empty(trainRows.Intersect(validationRows).Concat(trainRows.Intersect(testRows)).Concat(validationRows.Intersect(testRows)));
        Assert.Equal(table.Labels.Length, trainRows.Length + validationRows.Length + testRows.Length);
        Assert.Equal(trainRows.Select(r => (long)table.Labels[r]), data.Train.Labels.data<long>().ToArray());
        Assert.Equal(validationRows.Select(r => (long)table.Labels[r]), data.Validation.Labels.data<long>().ToArray());
        Assert.Equal(testRows.Select(r => (long)table.Labels[r]), data.Test.Labels.data<long>().ToArray());
        Assert.Equal(ScalarType.Int64, data.Train.Labels.dtype);
        Assert.Equal(ScalarType.Float32, data.Train.Features.dtype);
        Assert.Equal(3, data.Train.ClassCount);
        Assert.Equal([4L], data.Train.SampleShape);
    }

    [Fact]
    public void FromTable_EvalRows_DoNotInfluenceTheStatistics()
    {
        NumericTable table = Table();
        (_, int[] validationRows, int[] testRows) = StratifiedSplit.ThreeWay(table.Labels, Spec.TestFraction, Spec.ValidationFraction, Spec.SplitSeed);
        var testSet = testRows.Concat(validationRows).ToHashSet();
        NumericTable shifted = Table(feature: (r, j) => testSet.Contains(r) ? 1e6f + r : (j == 0 ? r * 0.5f : j == 1 ? 1000f + (float)Math.Sin(r) * 300f : j == 2 ? -3f + (r % 7) : 42f));

        using WorkloadData original = SuiteDataLoader.FromTable(table, Spec);
        using WorkloadData withOutliers = SuiteDataLoader.FromTable(shifted, Spec);

        Assert.Equal(Inputs(original.Train).data<float>().ToArray(), Inputs(withOutliers.Train).data<float>().ToArray());
        Assert.NotEqual(Inputs(original.Test).data<float>().ToArray(), Inputs(withOutliers.Test).data<float>().ToArray());
        Assert.NotEqual(Inputs(original.Validation).data<float>().ToArray(), Inputs(withOutliers.Validation).data<float>().ToArray());
    }

    [Fact]
    public void FromTable_EvalRows_UseTheTrainMeanAndStd()
    {
        NumericTable table = Table();
        (int[] trainRows, _, int[] testRows) = StratifiedSplit.ThreeWay(table.Labels, Spec.TestFraction, Spec.ValidationFraction, Spec.SplitSeed);
        double[] column = [.. trainRows.Select(r => (double)table.Row(r)[0])];
        double mean = column.Average();
        double std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1));

        using WorkloadData data = SuiteDataLoader.FromTable(table, Spec);

        float[] eval = Inputs(data.Test).data<float>().ToArray();
        for (int i = 0; i < testRows.Length; i++)
        {
            double expected = (table.Row(testRows[i])[0] - mean) / std;
            Assert.Equal(expected, eval[i * 4], 3);
        }
    }

    [Fact]
    public void FromTable_ImageShape_ReshapesSamples()
    {
        float[] x = [.. Enumerable.Range(0, 30 * 12).Select(i => (float)(i % 17))];
        var table = new NumericTable(x, [.. Enumerable.Range(0, 30).Select(r => r % 2)], 30, 12, ["0", "1"]);

        using WorkloadData data = SuiteDataLoader.FromTable(table, Spec with { ImageShape = [3, 2, 2] });

        Assert.Equal([3L, 2, 2], data.Train.SampleShape);
        Assert.Equal([data.Test.Count, 3L, 2, 2], data.Test.Features.shape);
    }

    [Fact]
    public void FromTable_WrongImageShape_ThrowsOneLineErrorWithBothCounts()
    {
        var ex = Assert.Throws<TunerInputException>(() => SuiteDataLoader.FromTable(Table(), Spec with { ImageShape = [2, 2, 2] }));

        OneLineAssert.Message(ex, "image_shape [2, 2, 2]", "8 values", "4 features");
    }

    [Fact]
    public void FromTable_RealDigitsWithImageShape_GivesOneByEightByEightStandardisedImages()
    {
        var spec = new DataSpec { Dataset = "digits", TestFraction = 0.2, ImageShape = [1, 8, 8] };

        using WorkloadData data = SuiteDataLoader.FromTable(RealData.DigitsTable(), spec);

        Assert.Equal([1L, 8, 8], data.Train.SampleShape);
        Assert.Equal(1797, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(10, data.Train.ClassCount);
        using Tensor perPixelMean = Inputs(data.Train).mean([0]);
        Assert.True(perPixelMean.abs().max().item<float>() < 1e-4f);
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, "class 0 has 1 row(s) (2 classes have fewer than 3)")]
    [InlineData(new[] { 0, 0, 0, 1, 2, 2, 2 }, "class 1 has 1 row(s): every class needs at least 3 rows")]
    [InlineData(new[] { 0, 0, 0, 1, 1 }, "class 1 has 2 row(s): every class needs at least 3 rows, one each to train on, for validation and for test")]
    [InlineData(new[] { 0, 0, 0 }, "3 row(s) of 1 class(es)")]
    [InlineData(new int[0], "0 row(s) of 0 class(es)")]
    public void CheckSplittable_AClassThatCannotBeInBothSplits_IsOneLineNamingTheSource(int[] labels, string expected)
    {
        var ex = Assert.Throws<TunerInputException>(() => SuiteDataLoader.CheckSplittable(labels, 0.2, "t.csv"));

        OneLineAssert.Message(ex, "t.csv: ", expected);
    }

    [Fact]
    public void CheckSplittable_ThreeRowsPerClass_IsEnoughAndEverySplitHasEveryClass()
    {
        int[] labels = [0, 1, 0, 1, 0, 1];

        SuiteDataLoader.CheckSplittable(labels, 0.2, "t.csv");
        (int[] train, int[] validation, int[] test) = StratifiedSplit.ThreeWay(labels, 0.2, 0.2, 0);

        Assert.Equal([0, 1], train.Select(r => labels[r]).Order());
        Assert.Equal([0, 1], validation.Select(r => labels[r]).Order());
        Assert.Equal([0, 1], test.Select(r => labels[r]).Order());
    }
}
