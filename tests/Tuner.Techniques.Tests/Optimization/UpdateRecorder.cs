using Tuner.Core.Trials;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization;

/// <summary>What one optimizer step saw and did: weights and gradients just before the replaced update, weights after the step.</summary>
internal sealed record StepRecord(long Step, double LearningRate, float[][] Before, float[][] Gradients, float[][] After, double RateAtBatchEnd);

/// <summary>Runs a short real training with an optimizer technique and records every step around it.</summary>
internal static class UpdateRecorder
{
    /// <summary>
    /// Trains <paramref name="steps"/> steps with <paramref name="leading"/> techniques, then the probe, then
    /// <paramref name="technique"/>: the probe sees the weights, gradients and rate just before the technique's update
    /// (BeforeOptimizerStep runs in list order) and, at BatchEnd (reverse order), the weights after the step and the
    /// rate after the technique restored it.
    /// </summary>
    public static (List<StepRecord> Steps, long[][] Shapes) Run(DigitsFixture digits, ITechnique technique, int steps, params ITechnique[] leading)
    {
        var records = new List<StepRecord>();
        long[][] shapes = [];
        (long Step, double Rate, float[][] Before, float[][] Gradients)? pending = null;
        var probe = new ProbeTechnique(
            "recorder",
            (e, _) => e is TrainingEvent.BeforeOptimizerStep or TrainingEvent.BatchEnd,
            (e, s) =>
            {
                if (e == TrainingEvent.BeforeOptimizerStep)
                {
                    shapes = WeightSnapshots.Shapes(s.Model);
                    pending = (s.Step, s.LearningRate, WeightSnapshots.Weights(s.Model), WeightSnapshots.Gradients(s.Model));
                }
                else if (pending is { } p)
                {
                    records.Add(new StepRecord(p.Step, p.Rate, p.Before, p.Gradients, WeightSnapshots.Weights(s.Model), s.LearningRate));
                    pending = null;
                }
            });

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(steps), techniques: [.. leading, probe, technique]), null, CancellationToken.None);
        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        Assert.Equal(steps, records.Count);
        return (records, shapes);
    }
}
