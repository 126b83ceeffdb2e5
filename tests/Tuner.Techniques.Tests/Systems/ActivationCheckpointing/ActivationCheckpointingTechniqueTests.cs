using Tuner.Core.Trials;
using Tuner.Techniques.Model;
using Tuner.Techniques.Systems.ActivationCheckpointing;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.ActivationCheckpointing;

public sealed class ActivationCheckpointingTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Run_OnALanguageModel_TrainsTheSameCurveAndRecomputesEveryCheckpointedBlockOncePerStep()
    {
        IReadOnlyList<TransformerBlock> blocks = [];
        var grab = new ProbeTechnique("grab", TrainingEvent.FitEnd, (_, s) => blocks = ModelLayers.TransformerBlocks(s.Model));

        TrainingOutcome plain = BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(12), []), null, CancellationToken.None);
        TrainingOutcome checkpointed = BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(12), [new ActivationCheckpointingTechnique(1), grab]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, checkpointed.Status);
        Assert.Equal(plain.Curve.Count, checkpointed.Curve.Count);
        Assert.All(plain.Curve.Zip(checkpointed.Curve), p => Assert.Equal(p.First.Metric, p.Second.Metric, 4)); // same gradients, same training
        Assert.Equal(2, blocks.Count);
        Assert.All(blocks, b => Assert.Equal(12, b.Recomputed)); // one recomputation per training step, none for evaluation
    }

    [Fact]
    public void Run_EverySecondBlock_ChecksOnlyThose()
    {
        IReadOnlyList<TransformerBlock> blocks = [];
        var grab = new ProbeTechnique("grab", TrainingEvent.FitEnd, (_, s) => blocks = ModelLayers.TransformerBlocks(s.Model));

        BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(5), [new ActivationCheckpointingTechnique(2), grab]), null, CancellationToken.None);

        Assert.Equal([5L, 0L], blocks.Select(b => b.Recomputed));
    }

    [Fact]
    public void Registry_RefusesItWithPrecision()
    {
        var error = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => TechniqueRegistry.Validate(
            [TechniqueRegistry.Parse("activation_checkpointing"), TechniqueRegistry.Parse("precision")]));
        Assert.Contains("activation_checkpointing", error.Message, StringComparison.Ordinal);
        Assert.Contains("precision", error.Message, StringComparison.Ordinal);
    }
}
