using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.GradientClipping;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.GradientClipping;

public sealed class GradientClippingTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private const double MaxNorm = 0.01;

    /// <summary>All gradients of the model, flattened into one vector (a copy).</summary>
    private static double[] Gradients(TrainingState state)
    {
        using var scope = NewDisposeScope();
        var values = new List<double>();
        foreach (var parameter in state.Model.parameters())
        {
            Tensor? grad = parameter.grad;
            if (grad is not null)
            {
                values.AddRange(grad.flatten().data<float>().ToArray().Select(v => (double)v));
            }
        }

        return [.. values];
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    /// <summary>Runs <paramref name="steps"/> steps and returns the gradients just before each optimizer step.</summary>
    private List<double[]> GradientsBeforeEachStep(int steps, params ITechnique[] techniques)
    {
        var seen = new List<double[]>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (_, s) => seen.Add(Gradients(s)));
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(steps), techniques: [.. techniques, probe]), null, CancellationToken.None);
        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        return seen;
    }

    [Fact]
    public void Apply_AfterBackward_LeavesTheGlobalGradientNormAtMostMaxNorm()
    {
        List<double[]> unclipped = GradientsBeforeEachStep(5);
        List<double[]> clipped = GradientsBeforeEachStep(5, new GradientClippingTechnique(MaxNorm));

        Assert.All(unclipped, g => Assert.True(Norm(g) > 10 * MaxNorm, $"unclipped norm {Norm(g)} should exceed max_norm, or the test proves nothing"));
        Assert.Equal(5, clipped.Count);
        Assert.All(clipped, g => Assert.InRange(Norm(g), 0.9 * MaxNorm, MaxNorm * (1 + 1e-5)));
    }

    [Fact]
    public void Apply_AfterBackward_ScalesGradientsWithoutChangingTheirDirection()
    {
        // Same seed: the first batch and the initial model are the same, so step 0's gradients differ only by clipping.
        double[] unclipped = GradientsBeforeEachStep(1)[0];
        double[] clipped = GradientsBeforeEachStep(1, new GradientClippingTechnique(MaxNorm))[0];

        double scale = MaxNorm / Norm(unclipped);
        Assert.Equal(unclipped.Length, clipped.Length);
        for (int i = 0; i < unclipped.Length; i++)
        {
            double expected = unclipped[i] * scale;
            Assert.True(Math.Abs(clipped[i] - expected) <= (1e-4 * Math.Abs(expected)) + 1e-10, $"gradient {i}: {clipped[i]} vs {expected}");
        }
    }

    [Fact]
    public void Apply_NormBelowMaxNorm_LeavesGradientsUnchanged()
    {
        double[] unclipped = GradientsBeforeEachStep(1)[0];
        double[] loose = GradientsBeforeEachStep(1, new GradientClippingTechnique(1e6))[0];

        Assert.Equal(unclipped, loose);
    }
}
