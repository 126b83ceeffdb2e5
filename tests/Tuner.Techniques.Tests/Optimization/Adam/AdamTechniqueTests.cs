using TorchSharp.Modules;
using Tuner.Core.Configuration;
using Tuner.Techniques.Optimization.Adam;
using Tuner.Techniques.Optimization.LinearWarmup;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Adam;

public sealed class AdamTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_FourSteps_WeightsFollowTorchAdamOnTheSameGradientsAndNotTheSuitesSgd()
    {
        var options = new AdamOptions { WeightDecay = 0.01 };
        (List<StepRecord> steps, long[][] shapes) = UpdateRecorder.Run(digits, new AdamTechnique(options), 4);

        using var scope = NewDisposeScope();
        Parameter[] reference = WeightSnapshots.ToParameters(steps[0].Before, shapes);
        using TorchSharp.Modules.Adam adam = optim.Adam(reference, digits.BaseLearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
        foreach (StepRecord step in steps)
        {
            adam.zero_grad();
            for (int i = 0; i < reference.Length; i++)
            {
                reference[i].mul(tensor(step.Gradients[i], shapes[i])).sum().backward();
            }

            adam.step();
            WeightSnapshots.AssertClose(WeightSnapshots.ToArrays(reference), step.After, 1e-5, 1e-6, $"weights after step {step.Step}");
            Assert.Equal(digits.BaseLearningRate, step.LearningRate, 15);
            Assert.Equal(digits.BaseLearningRate, step.RateAtBatchEnd, 15);
        }

        // Had the suite's SGD (momentum 0.9) also stepped, the first step would have moved the weights by a further lr * g.
        float[][] sgdToo = [.. steps[0].Before.Select((w, i) => w.Zip(steps[0].Gradients[i], (x, g) => x - (float)(digits.BaseLearningRate * g)).ToArray())];
        Assert.True(WeightSnapshots.MaxDifference(sgdToo, steps[0].Before) > 1e-5, "the gradients must be large enough for the check to mean something");
    }

    [Fact]
    public void Apply_AfterWarmup_UsesTheWarmedUpRate()
    {
        (List<StepRecord> steps, _) = UpdateRecorder.Run(digits, new AdamTechnique(new AdamOptions()), 2, new LinearWarmupTechnique(4));

        // Warmup listed first scales the rate at BeforeOptimizerStep before Adam reads it.
        Assert.Equal(digits.BaseLearningRate * 0.25, steps[0].LearningRate, 15);
        float[][] expected = [.. steps[0].Before.Select((w, i) => w.Zip(steps[0].Gradients[i], (x, g) => g == 0 ? x : x - (float)(digits.BaseLearningRate * 0.25 * g / (Math.Abs(g) + 1e-8))).ToArray())];
        WeightSnapshots.AssertClose(expected, steps[0].After, 1e-5, 2e-6, "first Adam step at the warmed-up rate");
    }

    [Fact]
    public void Registry_TwoUpdateRules_AreRejected()
    {
        string[] rules = ["nesterov", "adam", "adamw", "lamb", "lars"];
        foreach (string a in rules)
        {
            foreach (string b in rules.Where(b => b != a))
            {
                Tuner.Core.Errors.TunerInputException error = Assert.Throws<Tuner.Core.Errors.TunerInputException>(
                    () => TechniqueRegistry.Validate([TechniqueSpec.Of(a), TechniqueSpec.Of(b)]));
                OneLineAssert.Message(error, "conflict");
            }
        }
    }
}
