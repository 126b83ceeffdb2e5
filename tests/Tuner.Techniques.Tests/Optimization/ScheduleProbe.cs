using Tuner.Core.Trials;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Tests.Optimization;

/// <summary>The learning rate each optimizer step used, read by a probe at BeforeOptimizerStep.</summary>
internal static class ScheduleProbe
{
    public static Dictionary<long, double> RateAtEachStep(TrainingRequest request)
    {
        var seen = new Dictionary<long, double>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (_, s) => seen[s.Step] = s.LearningRate);
        TrainingOutcome outcome = BudgetedTrainer.Run(request with { Techniques = [.. request.Techniques, probe] }, null, CancellationToken.None);
        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        return seen;
    }
}
