using Tuner.Techniques.Data.ImportanceSampling;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.ImportanceSampling;

public sealed class ImportanceSamplingMathTests
{
    public ImportanceSamplingMathTests() => TorchSharp.torch.set_num_threads(1);

    [Fact]
    public void InitialEstimate_TenClasses_IsTheLossOfAUniformPrediction()
    {
        Assert.Equal(Math.Log(10), ImportanceSamplingMath.InitialEstimate(10), 12);
    }

    [Fact]
    public void Probabilities_SmallEstimates_AreEstimatePlusSmoothingNormalised()
    {
        using var scope = NewDisposeScope();

        float[] p = DataTestSupport.Floats(ImportanceSamplingMath.Probabilities(tensor(new float[] { 1, 0, 3 }), 1.0));

        Assert.Equal(2 / 7.0, p[0], 6);
        Assert.Equal(1 / 7.0, p[1], 6);
        Assert.Equal(4 / 7.0, p[2], 6);
    }

    [Fact]
    public void Sample_ManyDraws_FrequenciesFollowTheProbabilities()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);

        long[] rows = DataTestSupport.Longs(ImportanceSamplingMath.Sample(tensor(new float[] { 1, 0, 3 }), 1.0, 70_000, generator));

        Assert.Equal(70_000, rows.Length);
        Assert.Equal(2 / 7.0, rows.Count(r => r == 0) / 70_000.0, 2);
        Assert.Equal(1 / 7.0, rows.Count(r => r == 1) / 70_000.0, 2);
        Assert.Equal(4 / 7.0, rows.Count(r => r == 2) / 70_000.0, 2);
    }

    [Fact]
    public void Update_Rows_OverwritesTheirEstimatesOnly()
    {
        using var scope = NewDisposeScope();
        Tensor estimates = full(5, 9f);

        ImportanceSamplingMath.Update(estimates, tensor(new long[] { 3, 0 }), tensor(new float[] { 0.5f, 1.5f }));

        Assert.Equal([1.5f, 9, 9, 0.5f, 9], DataTestSupport.Floats(estimates));
    }
}
