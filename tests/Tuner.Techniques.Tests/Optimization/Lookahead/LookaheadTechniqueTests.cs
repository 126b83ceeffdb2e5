using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.Lookahead;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.Lookahead;

public sealed class LookaheadTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_SixStepsWithKThree_WeightsAfterEveryThirdStepAreSlowPlusAlphaTimesFastMinusSlow()
    {
        const double Alpha = 0.4;
        float[][]? initial = null;
        var fast = new Dictionary<long, float[][]>();
        var synced = new Dictionary<long, float[][]>();
        // "fast" sees the weights right after the optimizer step, before lookahead (listed first at AfterOptimizerStep);
        // "synced" sees them at BatchEnd, after every step wrapper.
        var before = new ProbeTechnique("synced", (e, _) => e is TrainingEvent.AfterDataLoader or TrainingEvent.BatchEnd, (e, s) =>
        {
            if (e == TrainingEvent.AfterDataLoader)
            {
                initial ??= WeightSnapshots.Weights(s.Model);
            }
            else
            {
                synced[s.Step] = WeightSnapshots.Weights(s.Model);
            }
        });
        var after = new ProbeTechnique("fast", TrainingEvent.AfterOptimizerStep, (_, s) => fast[s.Step] = WeightSnapshots.Weights(s.Model));

        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(6), techniques: [after, new LookaheadTechnique(3, Alpha), before]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Contains("AfterOptimizerStep:lookahead x2", outcome.Trace);
        foreach (long step in new long[] { 1, 2, 4, 5 })
        {
            Assert.Equal(fast[step], synced[step]); // no synchronisation between
        }

        float[][] slow = initial!;
        foreach (long step in new long[] { 3, 6 })
        {
            float[][] expected = Interpolate(slow, fast[step], Alpha);
            WeightSnapshots.AssertClose(expected, synced[step], 1e-5, 1e-7, $"weights after step {step}");
            Assert.True(WeightSnapshots.MaxDifference(expected, fast[step]) > 1e-5, "the synchronisation must move the weights");
            slow = synced[step];
        }
    }

    private static float[][] Interpolate(float[][] slow, float[][] fast, double alpha) =>
        [.. slow.Select((s, i) => s.Zip(fast[i], (a, b) => (float)(a + (alpha * (b - a)))).ToArray())];
}
