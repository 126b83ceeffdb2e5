using Tuner.Core.Configuration;
using TorchSharp.Modules;
using Tuner.Techniques.Optimization.Adam;
using Tuner.Techniques.Optimization.AdamW;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.AdamW;

public sealed class AdamWTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_ThreeSteps_WeightsFollowTorchAdamWOnTheSameGradients()
    {
        var options = new AdamOptions { WeightDecay = 0.2 };
        (List<StepRecord> steps, long[][] shapes) = UpdateRecorder.Run(digits, new AdamWTechnique(options), 3);

        using var scope = NewDisposeScope();
        Parameter[] reference = WeightSnapshots.ToParameters(steps[0].Before, shapes);
        using TorchSharp.Modules.AdamW adamW = optim.AdamW(reference, digits.BaseLearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
        foreach (StepRecord step in steps)
        {
            adamW.zero_grad();
            for (int i = 0; i < reference.Length; i++)
            {
                reference[i].mul(tensor(step.Gradients[i], shapes[i])).sum().backward();
            }

            adamW.step();
            WeightSnapshots.AssertClose(WeightSnapshots.ToArrays(reference), step.After, 1e-5, 1e-6, $"weights after step {step.Step}");
        }
    }

    [Fact]
    public void Apply_ZeroGradientElement_OnlyDecaysTheWeight()
    {
        (List<StepRecord> steps, _) = UpdateRecorder.Run(digits, new AdamWTechnique(new AdamOptions { WeightDecay = 0.5 }), 1);

        // Inputs that are always 0 (digits' blank border pixels) give first-layer weights a zero gradient: AdamW only decays them.
        StepRecord first = steps[0];
        int decayed = 0;
        for (int j = 0; j < first.Gradients[0].Length; j++)
        {
            if (first.Gradients[0][j] == 0 && first.Before[0][j] != 0)
            {
                Assert.Equal(first.Before[0][j] * (1 - (digits.BaseLearningRate * 0.5)), first.After[0][j], 6);
                decayed++;
            }
        }

        Assert.True(decayed > 0, "digits has constant-zero pixels, so some first-layer gradients are exactly zero");
    }

    [Fact]
    public void Registry_NoOptions_UsesTheDocumentedDefaults()
    {
        var technique = Assert.IsType<AdamWTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("adamw")));

        Assert.Equal(new AdamOptions { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, WeightDecay = 0.01 }, technique.Options);
    }
}
