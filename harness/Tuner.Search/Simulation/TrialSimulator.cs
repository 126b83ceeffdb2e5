using Tuner.Core.Trials;
using Tuner.Search.Pruners;
using Tuner.Search.Tuners;

namespace Tuner.Search.Simulation;

/// <summary>
/// Replays one search trial from its measured full run (a <see cref="TruthTable"/> record), as the product's
/// StudyRunner and BudgetedTrainer would have run it. A trial with a lower fidelity or an adaptive cap is an exact
/// prefix of the full run (the schedule sees the whole budget), so its evaluations are the measured ones up to the stop.
/// <list type="bullet">
/// <item>Stop point (StudyRunner): <c>min(fidelity, 1)</c>, and once some finished trial reached the target, at most
/// <c>capFactor × best time-to-target / budget</c> (<see cref="StopFraction"/>).</item>
/// <item>The pruner is asked after each periodic evaluation (the first step at or past a multiple of the configuration's
/// <c>eval_samples</c>) that did not reach the target, with the evaluations so far and the finished trials that are not
/// diverged or failed; true stops the trial as Pruned at that evaluation's charged seconds.</item>
/// <item>A run that reached the target by the stop point is Reached with the measured time-to-target and costs the
/// measured run's charged seconds. A run that ended on its own before the stop point (the full budget, a divergence or
/// a failure) keeps its status and cost. Otherwise the trial is Pruned at the stop point and costs exactly the stop
/// point's seconds, with the evaluations up to it.</item>
/// </list>
/// Approximation: a real trial stopped by a fidelity or a cap gets one more evaluation at the stop point, which the
/// truth does not have (it evaluated every <c>eval_samples</c> samples only); so a trial that would have reached the target
/// between its last periodic evaluation and the stop point is simulated as Pruned (it is found again by a longer
/// trial), and the best metric of a stopped trial can be a little lower than the real one.
/// </summary>
public static class TrialSimulator
{
    /// <summary>The fraction of the budget at which a trial of <paramref name="fidelity"/> stops, as StudyRunner computes it.</summary>
    /// <param name="fidelity">The proposal's fidelity.</param>
    /// <param name="finished">The study's finished trials.</param>
    /// <param name="capFactor">Adaptive cap factor; 0 turns capping off.</param>
    /// <param name="budgetSeconds">The full-fidelity budget in seconds.</param>
    public static double StopFraction(double fidelity, IEnumerable<TrialResult> finished, double capFactor, double budgetSeconds)
    {
        ArgumentNullException.ThrowIfNull(finished);
        double stopAt = Math.Min(1.0, fidelity);
        double? best = finished.Where(r => r.Reached).Select(r => r.TimeToTargetSeconds).Min();
        if (capFactor > 0 && best is double bestSeconds)
        {
            stopAt = Math.Min(stopAt, capFactor * bestSeconds / budgetSeconds);
        }

        return stopAt;
    }

    /// <summary>The outcome of running <paramref name="proposal"/>, whose full measured run is <paramref name="truth"/>, as trial <paramref name="number"/>.</summary>
    /// <param name="number">The trial number.</param>
    /// <param name="proposal">What the tuner proposed.</param>
    /// <param name="truth">The configuration's measured full run (no cap, no pruner).</param>
    /// <param name="stopAt">Fraction of the budget at which the trial stops (see <see cref="StopFraction"/>); 1 or more runs the whole budget.</param>
    /// <param name="budgetSeconds">The full-fidelity budget in seconds.</param>
    /// <param name="pruner">The study's pruner, or null when pruning is off.</param>
    /// <param name="finished">The study's finished trials (the pruner compares against those not diverged or failed).</param>
    public static TrialResult Run(
        int number,
        Proposal proposal,
        TrialRecord truth,
        double stopAt,
        double budgetSeconds,
        IPruner? pruner,
        IReadOnlyList<TrialResult> finished)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(finished);
        double stopSeconds = stopAt >= 1.0 ? double.PositiveInfinity : stopAt * budgetSeconds;
        bool reached = truth.Status == TrialStatus.Reached && truth.TimeToTargetSeconds is double ttt && ttt <= stopSeconds;
        bool endsOnItsOwn = reached || truth.TrainSeconds <= stopSeconds;
        TrialResult[] comparable = pruner is null ? [] : [.. finished.Where(r => !r.Broken)];
        long evalEvery = Math.Max(1, truth.Configuration.EvalEverySamples);
        long batch = Math.Max(1, truth.Configuration.BatchSize);
        var walked = new List<EvaluationPoint>();
        foreach (EvaluationPoint point in truth.Curve)
        {
            if (!endsOnItsOwn && point.TrainSeconds > stopSeconds)
            {
                break;
            }

            walked.Add(point);
            if (truth.Target.IsReachedBy(point.Metric))
            {
                break; // the evaluation that reached the target: the trial ends here, the pruner is not asked
            }

            if (pruner is not null && point.Samples / evalEvery > Math.Max(0, point.Samples - batch) / evalEvery && pruner.ShouldPrune(walked, comparable))
            {
                return Pruned(number, proposal, walked, point.TrainSeconds, truth.Target);
            }
        }

        if (reached)
        {
            return new TrialResult(number, proposal, TrialStatus.Reached, truth.TimeToTargetSeconds, truth.BestMetric, truth.TrainSeconds, truth.Curve);
        }

        if (endsOnItsOwn)
        {
            return new TrialResult(number, proposal, truth.Status, null, truth.BestMetric, truth.TrainSeconds, truth.Curve);
        }

        return Pruned(number, proposal, walked, stopSeconds, truth.Target);
    }

    private static TrialResult Pruned(int number, Proposal proposal, List<EvaluationPoint> curve, double costSeconds, TargetSpec target)
    {
        double? best = null;
        foreach (EvaluationPoint point in curve)
        {
            if (double.IsFinite(point.Metric))
            {
                best = target.Best(best, point.Metric);
            }
        }

        return new TrialResult(number, proposal, TrialStatus.Pruned, null, best, costSeconds, [.. curve]);
    }
}
