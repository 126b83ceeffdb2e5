using Tuner.Core.Configuration;
using Tuner.Techniques.Optimization.Adam;
using Tuner.Techniques.Optimization.Lamb;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Lamb;

public sealed class LambTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_ThreeSteps_EveryLayerFollowsLambMathWithItsOwnTrustRatio()
    {
        var options = new AdamOptions { Epsilon = 1e-6, WeightDecay = 0.01 };
        (List<StepRecord> steps, long[][] shapes) = UpdateRecorder.Run(digits, new LambTechnique(options), 3);

        using var scope = NewDisposeScope();
        Tensor[] w = [.. steps[0].Before.Select((v, i) => tensor(v, shapes[i]))];
        Tensor[] m = [.. w.Select(t => zeros_like(t))];
        Tensor[] v = [.. w.Select(t => zeros_like(t))];
        foreach (StepRecord step in steps)
        {
            for (int i = 0; i < w.Length; i++)
            {
                LambMath.Update(w[i], tensor(step.Gradients[i], shapes[i]), m[i], v[i], step.Step + 1, digits.BaseLearningRate, options);
            }

            WeightSnapshots.AssertClose(WeightSnapshots.ToArrays(w), step.After, 1e-5, 1e-6, $"weights after step {step.Step}");
        }

        // Layer-wise: each tensor moved by lr * ||w|| on its first step (the update is rescaled to the weights' norm).
        StepRecord first = steps[0];
        for (int i = 0; i < shapes.Length; i++)
        {
            double moved = Math.Sqrt(first.After[i].Zip(first.Before[i], (a, b) => (double)(a - b) * (a - b)).Sum());
            double norm = Math.Sqrt(first.Before[i].Sum(x => (double)x * x));
            Assert.Equal(digits.BaseLearningRate * norm, moved, 4);
        }
    }

    [Fact]
    public void Registry_NoOptions_UsesTheDocumentedDefaults()
    {
        var technique = Assert.IsType<LambTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("lamb")));

        Assert.Equal(new AdamOptions { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-6, WeightDecay = 0.01 }, technique.Options);
    }
}
