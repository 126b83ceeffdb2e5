using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.Swa;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.Swa;

public sealed class SwaTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_EightSteps_EvaluationSeesTheEqualWeightAverageOfTheSnapshotsFromTheStartFraction()
    {
        var afterStep = new Dictionary<long, float[][]>();
        var evaluated = new List<(long Step, float[][] Weights)>();
        float[][]? resumedWith = null;
        var watcher = new ProbeTechnique(
            "watcher",
            (e, _) => e is TrainingEvent.BatchEnd or TrainingEvent.EvalStart or TrainingEvent.AfterDataLoader,
            (e, s) =>
            {
                if (e == TrainingEvent.BatchEnd)
                {
                    afterStep[s.Step] = WeightSnapshots.Weights(s.Model);
                }
                else if (e == TrainingEvent.EvalStart)
                {
                    evaluated.Add((s.Step, WeightSnapshots.Weights(s.Model)));
                }
                else if (s.Step == 6)
                {
                    resumedWith = WeightSnapshots.Weights(s.Model);
                }
            });
        var swa = new SwaTechnique(0.5, 2);

        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(8), configuration: digits.Suite.Baseline with { EvalEverySamples = 2 * 32 }, techniques: [swa, watcher]),
            null,
            CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(3, swa.Snapshots); // after steps 4 (fraction 0.5), 6 and 8
        Assert.Equal([2L, 4L, 6L, 8L, 8L], evaluated.Select(e => e.Step)); // validation every 2 steps, then the test split once, on the same average
        Assert.Equal(evaluated[3].Weights, evaluated[4].Weights);
        Assert.Equal(afterStep[2], evaluated[0].Weights); // nothing averaged yet: the live weights
        Assert.Equal(afterStep[4], evaluated[1].Weights); // one snapshot
        WeightSnapshots.AssertClose(Mean(afterStep[4], afterStep[6]), evaluated[2].Weights, 1e-5, 1e-7, "average after step 6");
        WeightSnapshots.AssertClose(Mean(afterStep[4], afterStep[6], afterStep[8]), evaluated[3].Weights, 1e-5, 1e-7, "average after step 8");
        Assert.Equal(afterStep[6], resumedWith); // the 7th step trained on the live weights, not the average it was evaluated with
    }

    [Fact]
    public void Registry_WithEma_IsRejectedInEitherOrder()
    {
        Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of("swa"), TechniqueSpec.Of("ema")]));
        Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of("ema"), TechniqueSpec.Of("swa")]));
    }

    private static float[][] Mean(params float[][][] snapshots) =>
        [.. snapshots[0].Select((_, i) => snapshots[0][i].Select((_, j) => (float)snapshots.Average(s => (double)s[i][j])).ToArray())];

    [Fact]
    public void Registry_NoOptions_StartsAtThreeQuartersAndSnapshotsEveryStep()
    {
        var technique = Assert.IsType<SwaTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("swa")));

        Assert.Equal(0.75, technique.Start);
        Assert.Equal(1, technique.Every);
    }
}
