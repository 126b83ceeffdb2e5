using Tuner.Suites.Loading;
using Tuner.Suites.Specs;
using static TorchSharp.torch;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Tests.Loading;

/// <summary>The real Fashion-MNIST IDX files from the data cache, loaded once for the class.</summary>
public sealed class FashionMnistFixture : IDisposable
{
    public FashionMnistFixture()
    {
        TorchSharp.torch.set_num_threads(1);
        Data = SuiteDataLoader.LoadAsync(SuiteCatalog.Resolve("fashion-mlp"), RealData.Store, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public WorkloadData Data { get; }

    public void Dispose() => Data.Dispose();
}

public sealed class FashionMnistLoadTests(FashionMnistFixture fashion) : IClassFixture<FashionMnistFixture>
{
    [Fact]
    public void LoadAsync_FashionMnist_KeepsTheOfficialTestSplitAndCarvesValidationFromTrain()
    {
        Assert.Equal([54000L, 1, 28, 28], fashion.Data.Train.Features.shape);
        Assert.Equal([6000L, 1, 28, 28], fashion.Data.Validation.Features.shape);
        Assert.Equal([10000L, 1, 28, 28], fashion.Data.Test.Features.shape);
        Assert.Equal([1L, 28, 28], fashion.Data.Train.SampleShape);
        Assert.Equal([54000L], fashion.Data.Train.Labels.shape);
        Assert.Equal(10000, fashion.Data.Test.Count);
        Assert.Equal(ScalarType.Byte, fashion.Data.Train.Features.dtype); // stored as pixels, normalised per batch
        Assert.Equal(10, fashion.Data.Train.ClassCount);
        Assert.Equal(10, fashion.Data.Test.ClassCount);
        Assert.Equal(10, fashion.Data.Validation.ClassCount);
    }

    [Fact]
    public void LoadAsync_FashionMnist_LabelsAreInt64InZeroToTenAndBalanced()
    {
        using var scope = NewDisposeScope();
        Tensor train = fashion.Data.Train.Labels;
        Tensor eval = fashion.Data.Test.Labels;
        Tensor validation = fashion.Data.Validation.Labels;

        Assert.Equal(ScalarType.Int64, train.dtype);
        Assert.Equal(ScalarType.Int64, eval.dtype);
        Assert.Equal(0, train.min().item<long>());
        Assert.Equal(9, train.max().item<long>());
        Assert.Equal(0, eval.min().item<long>());
        Assert.Equal(9, eval.max().item<long>());
        Assert.All(train.bincount(null).data<long>().ToArray(), c => Assert.Equal(5400, c)); // stratified: 600 of each class's 6,000 went to validation
        Assert.All(validation.bincount(null).data<long>().ToArray(), c => Assert.Equal(600, c));
        Assert.All(eval.bincount(null).data<long>().ToArray(), c => Assert.Equal(1000, c));
    }

    [Fact]
    public void LoadAsync_FashionMnist_ModelInputsAreStandardisedWithTrainStatistics()
    {
        using var scope = NewDisposeScope();
        Tensor train = fashion.Data.Train.Slice(0, fashion.Data.Train.Count);
        Tensor eval = fashion.Data.Test.Slice(0, fashion.Data.Test.Count);

        Assert.Equal(ScalarType.Float32, train.dtype);
        Assert.Equal([54000L, 1, 28, 28], train.shape);
        Assert.InRange(train.mean().item<float>(), -1e-3f, 1e-3f);
        Assert.InRange(train.std().item<float>(), 0.999f, 1.001f);
        // The test split uses the train mean and std: close to, but not exactly, standard.
        Assert.Equal(fashion.Data.Train.Scale, fashion.Data.Test.Scale);
        Assert.Equal(fashion.Data.Train.Shift, fashion.Data.Test.Shift);
        Assert.Equal(fashion.Data.Train.Scale, fashion.Data.Validation.Scale);
        Assert.InRange(eval.mean().item<float>(), -0.05f, 0.05f);
        Assert.InRange(eval.std().item<float>(), 0.95f, 1.05f);
        // Black background pixels (0) all map to the same negative value, below every foreground pixel.
        float min = train.min().item<float>();
        Assert.True(min < -0.5f);
        Assert.Equal(min, eval.min().item<float>(), 5);
    }

    [Fact]
    public void LoadAsync_FashionMnist_GatherMatchesSliceRowByRow()
    {
        using var scope = NewDisposeScope();
        Tensor rows = tensor(new long[] { 5, 0, 53999 });

        Tensor gathered = fashion.Data.Train.Gather(rows);

        Assert.Equal(ScalarType.Float32, gathered.dtype);
        Assert.True(gathered[0].eq(fashion.Data.Train.Slice(5, 1)[0]).all().item<bool>());
        Assert.True(gathered[2].eq(fashion.Data.Train.Slice(53999, 1)[0]).all().item<bool>());
    }

    [Fact]
    public void PixelStatistics_BlackAndWhite_IsHalfAndHalf()
    {
        (double mean, double std) = SuiteDataLoader.PixelStatistics([0, 255, 0, 255]);

        Assert.Equal(0.5, mean, 12);
        Assert.Equal(0.5, std, 12); // population standard deviation of pixels scaled to [0, 1]
    }
}
