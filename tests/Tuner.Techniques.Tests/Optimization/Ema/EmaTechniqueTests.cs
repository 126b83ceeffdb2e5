using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.Ema;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.Ema;

public sealed class EmaTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private const double Decay = 0.8;

    [Fact]
    public void Run_FiveSteps_EvaluationSeesTheClosedFormAverageAndTrainingResumesWithTheLiveWeights()
    {
        var trajectory = new List<float[][]>(); // w_0 (before the first step), then after each step
        var atEvaluation = new List<(long Step, float[][] Start, float[][] End)>();
        float[][]? atEvalStart = null;
        var resumed = new List<float[][]>();
        bool afterEvaluation = false;
        var watcher = new ProbeTechnique(
            "watcher",
            (e, _) => e is TrainingEvent.AfterDataLoader or TrainingEvent.BatchEnd or TrainingEvent.EvalStart or TrainingEvent.EvalEnd,
            (e, s) =>
            {
                switch (e)
                {
                    case TrainingEvent.AfterDataLoader:
                        if (trajectory.Count == 0)
                        {
                            trajectory.Add(WeightSnapshots.Weights(s.Model));
                        }

                        if (afterEvaluation)
                        {
                            resumed.Add(WeightSnapshots.Weights(s.Model));
                            afterEvaluation = false;
                        }

                        break;
                    case TrainingEvent.BatchEnd:
                        trajectory.Add(WeightSnapshots.Weights(s.Model));
                        break;
                    case TrainingEvent.EvalStart:
                        atEvalStart = WeightSnapshots.Weights(s.Model);
                        break;
                    default:
                        atEvaluation.Add((s.Step, atEvalStart!, WeightSnapshots.Weights(s.Model)));
                        afterEvaluation = true;
                        break;
                }
            });

        // Listed after ema: at EvalStart it runs after the swap, at EvalEnd (reverse order) before the swap back.
        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(8), configuration: digits.Suite.Baseline with { EvalEverySamples = 5 * 32 }, techniques: [new EmaTechnique(Decay), watcher]),
            null,
            CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(9, trajectory.Count);
        Assert.Equal([5L, 8L, 8L], atEvaluation.Select(a => a.Step)); // validation at 5 and 8, then the test split once at the end: all on the average
        foreach ((long step, float[][] start, float[][] end) in atEvaluation)
        {
            float[][] closedForm = ClosedForm(trajectory, (int)step);
            WeightSnapshots.AssertClose(closedForm, start, 1e-5, 1e-6, $"weights seen at EvalStart after step {step}");
            WeightSnapshots.AssertClose(closedForm, end, 1e-5, 1e-6, $"weights seen at EvalEnd after step {step}");
            Assert.True(WeightSnapshots.MaxDifference(closedForm, trajectory[(int)step]) > 1e-4, "the average must differ from the live weights");
        }

        // Step 6's batch starts from the live weights after step 5, not from the average.
        Assert.Single(resumed);
        Assert.Equal(trajectory[5], resumed[0]);
    }

    private static float[][] ClosedForm(List<float[][]> trajectory, int steps) =>
        [.. trajectory[0].Select((_, i) => trajectory[0][i].Select((_, j) =>
            (float)Enumerable.Range(0, steps + 1).Sum(t => EmaMath.Coefficient(t, steps, Decay) * trajectory[t][i][j])).ToArray())];
}
