using TorchSharp.Modules;
using Tuner.Techniques.Optimization.Nesterov;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Nesterov;

public sealed class NesterovTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_ThreeSteps_WeightsFollowTorchNesterovSgdOnTheSameGradients()
    {
        var options = new NesterovOptions { Momentum = 0.8, WeightDecay = 0.001 };
        (List<StepRecord> steps, long[][] shapes) = UpdateRecorder.Run(digits, new NesterovTechnique(options), 3);

        using var scope = NewDisposeScope();
        Parameter[] reference = WeightSnapshots.ToParameters(steps[0].Before, shapes);
        using SGD sgd = optim.SGD(reference, digits.BaseLearningRate, options.Momentum, 0, options.WeightDecay, true);
        foreach (StepRecord step in steps)
        {
            WeightSnapshots.AssertClose(WeightSnapshots.ToArrays(reference), step.Before, 1e-5, 1e-6, $"weights before step {step.Step}");
            sgd.zero_grad();
            for (int i = 0; i < reference.Length; i++)
            {
                reference[i].mul(tensor(step.Gradients[i], shapes[i])).sum().backward();
            }

            sgd.step();
            WeightSnapshots.AssertClose(WeightSnapshots.ToArrays(reference), step.After, 1e-5, 1e-6, $"weights after step {step.Step}");
            Assert.Equal(digits.BaseLearningRate, step.RateAtBatchEnd, 15);
        }
    }
}
