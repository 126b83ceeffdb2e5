using Tuner.Core.Configuration;
using Tuner.Techniques.Optimization.Lars;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Lars;

public sealed class LarsTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_ThreeSteps_EveryLayerFollowsLarsMathWithItsOwnLocalRate()
    {
        var options = new LarsOptions { Trust = 0.02 };
        (List<StepRecord> steps, long[][] shapes) = UpdateRecorder.Run(digits, new LarsTechnique(options), 3);

        using var scope = NewDisposeScope();
        Tensor[] w = [.. steps[0].Before.Select((v, i) => tensor(v, shapes[i]))];
        Tensor[] velocity = [.. w.Select(t => zeros_like(t))];
        foreach (StepRecord step in steps)
        {
            for (int i = 0; i < w.Length; i++)
            {
                LarsMath.Update(w[i], tensor(step.Gradients[i], shapes[i]), velocity[i], digits.BaseLearningRate, options);
            }

            WeightSnapshots.AssertClose(WeightSnapshots.ToArrays(w), step.After, 1e-5, 1e-7, $"weights after step {step.Step}");
        }

        // First step, layer by layer: the change is lr * local * (g + wd * w), local from that layer's norms.
        StepRecord first = steps[0];
        for (int i = 0; i < shapes.Length; i++)
        {
            double wn = Math.Sqrt(first.Before[i].Sum(x => (double)x * x));
            double gn = Math.Sqrt(first.Gradients[i].Sum(x => (double)x * x));
            double local = LarsMath.LocalRate(wn, gn, options.Trust, options.WeightDecay);
            int j = Array.FindIndex(first.Gradients[i], g => g != 0);
            double expected = first.Before[i][j] - (digits.BaseLearningRate * local * (first.Gradients[i][j] + (options.WeightDecay * first.Before[i][j])));
            Assert.Equal(expected, first.After[i][j], 6);
        }
    }

    [Fact]
    public void Registry_Options_AreReadIntoTheRecord()
    {
        var defaults = Assert.IsType<LarsTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("lars")));
        var given = Assert.IsType<LarsTechnique>(TechniqueRegistry.Create(TechniqueRegistry.Parse("lars:trust=0.02,momentum=0.5,weight_decay=0")));

        Assert.Equal(new LarsOptions { Momentum = 0.9, Trust = 0.001, WeightDecay = 0.0005 }, defaults.Options);
        Assert.Equal(new LarsOptions { Momentum = 0.5, Trust = 0.02, WeightDecay = 0 }, given.Options);
    }
}
