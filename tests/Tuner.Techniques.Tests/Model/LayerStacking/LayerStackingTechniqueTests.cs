using Tuner.Techniques.Model;
using Tuner.Techniques.Model.LayerStacking;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Model.LayerStacking;

public sealed class LayerStackingTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Theory]
    [InlineData(2, 1, 0, 1)]
    [InlineData(2, 1, 1, 2)]
    [InlineData(12, 2, 0, 3)] // BERT's 3 -> 6 -> 12 (Gong et al.)
    [InlineData(12, 2, 1, 6)]
    [InlineData(12, 2, 2, 12)]
    [InlineData(3, 1, 0, 1)]
    [InlineData(3, 1, 1, 2)] // an odd depth: 1 -> 2, and a further doubling would stop at 3
    [InlineData(2, 5, 0, 1)] // more stages than halvings: starts at one block
    [InlineData(2, 5, 3, 2)]
    public void ActiveBlocks_DoubleFromLOver2PowStagesUpToL(int layers, int stages, int doublings, int expected)
    {
        Assert.Equal(expected, LayerStackingTechnique.ActiveBlocks(layers, stages, doublings));
    }

    [Fact]
    public void Run_TrainsOneBlockThenCopiesItOnTopAtTheScheduledFraction()
    {
        var technique = new LayerStackingTechnique(1, 0.5);
        var active = new List<int>();
        IReadOnlyList<TransformerBlock> blocks = [];
        long topComputedBeforeGrowth = -1;
        double copyDifference = double.NaN;
        technique.Stacked += copies =>
        {
            Assert.Equal([(0, 1)], copies);
            topComputedBeforeGrowth = blocks[1].Computed;
            copyDifference = ProbeValues.MaxDifference(
                [.. blocks[0].parameters().Select(p => ProbeValues.Of(p))],
                [.. blocks[1].parameters().Select(p => ProbeValues.Of(p))]);
        };
        var look = new ProbeTechnique("look", TrainingEvent.BeforeForward, (_, s) =>
        {
            blocks = ModelLayers.TransformerBlocks(s.Model);
            active.Add(blocks.Count(b => b.Active));
        });
        var grab = new ProbeTechnique("grab", TrainingEvent.FitStart, (_, s) => blocks = ModelLayers.TransformerBlocks(s.Model));

        // A step budget: the fraction before batch k is k / 10, so the depth doubles at batch 5.
        BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(10), [grab, technique, look]), null, CancellationToken.None);

        Assert.Equal([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], active);
        Assert.Equal(0, topComputedBeforeGrowth); // the top block did nothing, in training or evaluation, before it was stacked
        Assert.Equal(0, copyDifference);
        Assert.Equal(1, technique.Doublings);
    }

    [Fact]
    public void Run_OnAOneLayerModel_FailsWithOneLine()
    {
        TrainingRequest request = suites.Request("tiny-lm", CoreBudget.Steps(2), [new LayerStackingTechnique(1, 0.5)]) with
        {
            ModelFactory = () => new CausalTransformer(new TransformerShape(128, 32, 32, 1, 2)),
        };

        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);

        Assert.Equal(Tuner.Core.Trials.TrialStatus.Failed, outcome.Status);
        Assert.Contains("at least 2 layers", outcome.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', outcome.FailureReason!);
    }
}
