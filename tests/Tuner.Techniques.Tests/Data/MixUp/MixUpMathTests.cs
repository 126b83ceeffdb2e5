using Tuner.Techniques.Data.MixUp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.MixUp;

public sealed class MixUpMathTests
{
    public MixUpMathTests() => TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void Mix_SmallBatch_EqualsLambdaTimesRowPlusOneMinusLambdaTimesPartnerRow()
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(new float[] { 1, 2, 10, 20, 100, 200 }, [3, 2]);
        Tensor permutation = tensor(new long[] { 2, 0, 1 });

        float[] mixed = DataTestSupport.Floats(MixUpMath.Mix(x, permutation, 0.25));

        Assert.Equal([(0.25f * 1) + (0.75f * 100), (0.25f * 2) + (0.75f * 200), (0.25f * 10) + (0.75f * 1), (0.25f * 20) + (0.75f * 2), (0.25f * 100) + (0.75f * 10), (0.25f * 200) + (0.75f * 20)], mixed);
    }

    [Fact]
    public void MixedLoss_SmallLogits_IsLambdaWeightedSumOfBothLabelsCrossEntropies()
    {
        using var scope = NewDisposeScope();
        float[] logits = [2f, 0f, -1f, 0.5f, 0.5f, 3f];
        long[] labels = [0, 2];
        long[] permutation = [1, 0];
        const double Lambda = 0.7;
        double[] own = DataTestSupport.CrossEntropyByHand(logits, labels, 3);
        double[] partner = DataTestSupport.CrossEntropyByHand(logits, [labels[1], labels[0]], 3);
        double expected = (Lambda * own.Average()) + ((1 - Lambda) * partner.Average());

        double actual = MixUpMath.MixedLoss(TrainingState.CrossEntropyPerSample, tensor(logits, [2, 3]), tensor(labels), tensor(permutation), Lambda).mean().item<float>();

        Assert.Equal(expected, actual, 5);
        Assert.True(Math.Abs(actual - own.Average()) > 0.5, "the partner labels must change the loss, or the test proves nothing");
    }

    [Theory]
    [InlineData(0.2, 0.2)]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 5.0)]
    public void SampleBeta_ManyDraws_MatchBetaMeanAndVarianceAndStayInTheUnitInterval(double a, double b)
    {
        var random = new Random(7);
        double[] draws = [.. Enumerable.Range(0, 40_000).Select(_ => MixUpMath.SampleBeta(random, a, b))];
        double mean = draws.Average();
        double variance = draws.Select(d => (d - mean) * (d - mean)).Average();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 1.0));
        Assert.Equal(a / (a + b), mean, 2);
        Assert.Equal(a * b / ((a + b) * (a + b) * (a + b + 1)), variance, 2);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(4.5)]
    public void SampleGamma_ManyDraws_HaveMeanAndVarianceEqualToTheShape(double shape)
    {
        var random = new Random(11);
        double[] draws = [.. Enumerable.Range(0, 40_000).Select(_ => MixUpMath.SampleGamma(random, shape))];
        double mean = draws.Average();
        double variance = draws.Select(d => (d - mean) * (d - mean)).Average();

        Assert.InRange(mean, shape * 0.97, shape * 1.03);
        Assert.InRange(variance, shape * 0.93, shape * 1.07);
    }
}
