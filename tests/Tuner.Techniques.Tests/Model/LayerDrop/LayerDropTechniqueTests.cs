using Tuner.Techniques.Model;
using Tuner.Techniques.Model.LayerDrop;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Model.LayerDrop;

public sealed class LayerDropTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void KeepProbability_StartsAtOne_AndFallsDeeperBlocksMoreTowardsThetaBar()
    {
        var technique = new LayerDropTechnique(0.5, 0.001);

        Assert.Equal(1.0, technique.Theta(0));
        Assert.Equal(1.0, technique.KeepProbability(2, 2, 0));
        Assert.Equal(0.5 + (0.5 * Math.Exp(-1)), technique.Theta(1000), 12);
        Assert.Equal(0.5, technique.KeepProbability(2, 2, 1_000_000), 9); // the last block tends to theta_bar
        Assert.Equal(0.75, technique.KeepProbability(1, 2, 1_000_000), 9); // block l of L: 1 - (l/L)(1 - theta_bar)
    }

    [Fact]
    public void Run_DropsTheDeeperBlockMoreOften_ScalesKeptBlocksByOneOverP_AndEvaluatesWithEveryBlock()
    {
        var technique = new LayerDropTechnique(0.5, 1); // theta is at theta_bar from the first steps on
        int[] skipped = new int[2];
        int forwards = 0;
        var scaled = new List<double>();
        var look = new ProbeTechnique("look", (e, _) => e is TrainingEvent.BeforeForward or TrainingEvent.EvalStart, (e, s) =>
        {
            IReadOnlyList<TransformerBlock> blocks = ModelLayers.TransformerBlocks(s.Model);
            if (e == TrainingEvent.EvalStart)
            {
                Assert.All(blocks, b => Assert.True(!b.Skip && b.BranchScale == 1));
                return;
            }

            forwards++;
            for (int i = 0; i < blocks.Count; i++)
            {
                skipped[i] += blocks[i].Skip ? 1 : 0;
                if (!blocks[i].Skip && s.OptimizerSteps > 20)
                {
                    scaled.Add(blocks[i].BranchScale * technique.KeepProbability(i + 1, 2, s.OptimizerSteps));
                }
            }
        });

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(400), [technique, look]), null, CancellationToken.None);

        Assert.Equal(400, forwards);
        // Keep probabilities 0.75 and 0.5: about 100 and 200 skips in 400 steps (the first few steps drop less).
        Assert.InRange(skipped[0], 60, 140);
        Assert.InRange(skipped[1], 150, 250);
        Assert.All(scaled, product => Assert.Equal(1.0, product, 9));
        Assert.True(double.IsFinite(outcome.BestMetric!.Value));
    }
}
