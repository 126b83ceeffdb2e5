using Tuner.Core.Trials;
using Tuner.Techniques.Data.SelectiveBackprop;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.SelectiveBackprop;

public sealed class SelectiveBackpropTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Run_TrainingForwardAndBackward_RunOnTheKeptRowsOnly_FewerForHigherBeta(double beta)
    {
        var loaded = new List<long>();
        var trained = new List<long>();
        var withGradient = new List<long>();
        var before = new ProbeTechnique("loaded", TrainingEvent.AfterDataLoader, (_, s) => loaded.Add(s.Inputs!.shape[0]));
        // Inputs require gradients after selection, so after backward each row's input gradient says whether it was back-propagated.
        var inputs = new ProbeTechnique("inputs", TrainingEvent.BeforeForward, (_, s) => s.Inputs!.requires_grad = true);
        var after = new ProbeTechnique(
            "after",
            (e, _) => e is TrainingEvent.AfterForward or TrainingEvent.AfterBackward,
            (e, s) =>
            {
                if (e == TrainingEvent.AfterForward)
                {
                    trained.Add(s.Outputs!.shape[0]);
                    return;
                }

                float[] grad = DataTestSupport.Floats(s.Inputs!.grad!);
                long rows = s.Inputs.shape[0], width = s.Inputs.numel() / rows;
                withGradient.Add(Enumerable.Range(0, (int)rows).Count(r => Enumerable.Range(0, (int)width).Any(j => grad[(r * width) + j] != 0)));
            });
        var technique = new SelectiveBackpropTechnique(beta, 1024);

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(40), [before, technique, inputs, after]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(40, outcome.OptimizerSteps);
        // digits' 1,151 train rows: 35 batches of 32, then the epoch's last batch of 31 (step 36).
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i == 35 ? 31L : 32L), loaded);
        Assert.Equal(trained, withGradient);
        Assert.All(trained, rows => Assert.InRange(rows, 1, 32));
        // About 1/(beta + 1) of the rows once the loss is steady; fewer while it falls fast, since a batch's losses are then
        // low percentiles of the recent, higher ones (as in the paper).
        double fraction = trained.Sum() / (double)loaded.Sum();
        Assert.InRange(fraction, 0.05, (1 / (beta + 1)) + 0.1);
        Assert.Equal(technique.Kept, trained.Sum());
        Assert.Equal(loaded.Sum(), outcome.Samples); // the budget counts the samples loaded, not only those back-propagated
    }

    [Fact]
    public void Run_KeptRows_HaveHigherLossThanDroppedRows()
    {
        double kept = 0, dropped = 0;
        int keptCount = 0, droppedCount = 0;
        var technique = new SelectiveBackpropTechnique(1, 1024);
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeForward, (_, _) =>
        {
            var set = technique.LastKept.ToHashSet();
            for (int i = 0; i < technique.LastLosses.Length; i++)
            {
                if (set.Contains(i))
                {
                    kept += technique.LastLosses[i];
                    keptCount++;
                }
                else
                {
                    dropped += technique.LastLosses[i];
                    droppedCount++;
                }
            }
        });

        BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(60), [technique, probe]), null, CancellationToken.None);

        Assert.True(kept / keptCount > 1.2 * (dropped / droppedCount), $"kept rows' mean loss {kept / keptCount:g3} vs dropped {dropped / droppedCount:g3}");
    }
}
