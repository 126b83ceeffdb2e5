using Tuner.Core.Trials;
using Tuner.Techniques.Data.SelectiveBackprop;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.SelectiveBackprop;

public sealed class SelectiveBackpropTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed record Step(int[] RowsWithGradient, int[] HighestLossRows, double Loss, double ExpectedLoss, bool LossRestored);

    [Theory]
    [InlineData(0.5, 16)]
    [InlineData(0.1, 4)]
    public void Apply_DuringTraining_OnlyTheKHighestLossSamplesReceiveGradient(double fraction, int k)
    {
        var steps = new List<Step>();
        double loss = double.NaN;
        bool restored = false;
        // Inputs require gradients, so after backward each row's input gradient says whether that sample was back-propagated.
        var inputs = new ProbeTechnique("inputs", TrainingEvent.AfterDataLoader, (_, s) => s.Inputs!.requires_grad = true);
        var observer = new ProbeTechnique(
            "observer",
            (e, _) => e is TrainingEvent.BeforeBackward or TrainingEvent.AfterBackward,
            (e, s) =>
            {
                if (e == TrainingEvent.BeforeBackward)
                {
                    loss = s.Loss!.item<float>();
                    restored = ReferenceEquals(s.LossFunction, TrainingState.CrossEntropy);
                    return;
                }

                int rows = (int)s.Inputs!.shape[0];
                int width = (int)(s.Inputs.numel() / rows);
                float[] grad = DataTestSupport.Floats(s.Inputs.grad!);
                double[] losses = DataTestSupport.CrossEntropyByHand(DataTestSupport.Floats(s.Outputs!), DataTestSupport.Longs(s.Targets!), 10);
                int[] withGradient = [.. Enumerable.Range(0, rows).Where(r => Enumerable.Range(0, width).Any(j => grad[(r * width) + j] != 0))];
                int[] highest = [.. Enumerable.Range(0, rows).OrderByDescending(r => losses[r]).Take(k)];
                steps.Add(new Step(withGradient, highest, loss, highest.Average(r => losses[r]), restored));
            });

        TrainingOutcome outcome = BudgetedTrainer.Run(
            suites.Request("digits-mlp", CoreBudget.Steps(3), [inputs, new SelectiveBackpropTechnique(fraction), observer]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(3, steps.Count);
        Assert.All(steps, s =>
        {
            Assert.Equal(k, s.RowsWithGradient.Length);
            Assert.Equal(s.HighestLossRows.Order(), s.RowsWithGradient);
            Assert.Equal(s.ExpectedLoss, s.Loss, 4);
            Assert.True(s.LossRestored, "cross-entropy must be back after AfterLoss");
        });
    }
}
