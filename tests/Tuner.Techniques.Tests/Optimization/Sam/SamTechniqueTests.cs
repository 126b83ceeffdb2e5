using TorchSharp.Modules;
using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.Sam;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.Sam;

public sealed class SamTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private const double Rho = 0.5;

    private sealed record Observation(float[][] Weights, float[][] FirstGradients, float[] Inputs, long[] Targets, float[][] FinalWeights, float[][] FinalGradients);

    [Fact]
    public void Apply_BeforeOptimizerStep_LeavesTheGradientTakenAtThePerturbedWeightsAndTheWeightsUnchanged()
    {
        var observations = new List<Observation>();
        (float[][] W, float[][] G, float[] X, long[] Y)? before = null;
        var first = new ProbeTechnique("before", TrainingEvent.BeforeOptimizerStep, (_, s) =>
            before = (WeightSnapshots.Weights(s.Model), WeightSnapshots.Gradients(s.Model), s.Inputs!.data<float>().ToArray(), s.Targets!.data<long>().ToArray()));
        var last = new ProbeTechnique("after", TrainingEvent.BeforeOptimizerStep, (_, s) =>
            observations.Add(new Observation(before!.Value.W, before.Value.G, before.Value.X, before.Value.Y, WeightSnapshots.Weights(s.Model), WeightSnapshots.Gradients(s.Model))));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(3), techniques: [first, new SamTechnique(Rho), last]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(3, observations.Count);
        foreach (Observation o in observations)
        {
            Assert.Equal(o.Weights, o.FinalWeights); // restored exactly from a copy
            float[][] expected = GradientAt(Perturbed(o.Weights, o.FirstGradients), o.Inputs, o.Targets);
            WeightSnapshots.AssertClose(expected, o.FinalGradients, 1e-4, 1e-6, "gradient at w + e");
            Assert.True(WeightSnapshots.MaxDifference(o.FirstGradients, o.FinalGradients) > 1e-4, "the gradient at w + e must differ from the one at w");
        }
    }

    /// <summary>w + rho * g / ||g|| with the global norm, computed here in double.</summary>
    private static float[][] Perturbed(float[][] weights, float[][] gradients)
    {
        double norm = Math.Sqrt(gradients.Sum(g => g.Sum(x => (double)x * x)));
        return [.. weights.Select((w, i) => w.Zip(gradients[i], (x, g) => (float)(x + (Rho * g / norm))).ToArray())];
    }

    /// <summary>The cross-entropy gradient of a fresh model of the suite's shape holding <paramref name="weights"/>.</summary>
    private float[][] GradientAt(float[][] weights, float[] inputs, long[] targets)
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(digits.Suite.DescribedModel, digits.Data.Train.SampleShape, digits.Data.Train.ClassCount);
        Parameter[] parameters = [.. model.parameters()];
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(tensor(weights[i], parameters[i].shape));
            }
        }

        long[] shape = [targets.Length, .. digits.Data.Train.SampleShape];
        nn.functional.cross_entropy(model.call(tensor(inputs, shape)), tensor(targets)).backward();
        return WeightSnapshots.Gradients(model);
    }
}
