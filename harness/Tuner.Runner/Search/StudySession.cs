using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Storage;

namespace Tuner.Runner.Search;

/// <summary>
/// A study opened from storage, with the conversions between stored trials and what tuners see. Reference seconds of
/// the objective: the budget for wall-clock budgets, else a fixed 600 s (scores only need a stable monotone scale).
/// </summary>
public sealed class StudySession
{
    public const double NonTimeBudgetReferenceSeconds = 600;

    public StudySession(StudyInfo study, SearchSpace space, Budget budget, double targetValue)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(space);
        Study = study;
        Space = space;
        Budget = budget;
        Objective = new CensoredObjective(ReferenceSeconds(budget), targetValue, Core.Trials.TargetMetrics.LowerIsBetter(study.Definition.TargetMetric));
    }

    public StudyInfo Study { get; }

    public SearchSpace Space { get; }

    public Budget Budget { get; }

    public CensoredObjective Objective { get; }

    public static double ReferenceSeconds(Budget budget) =>
        budget.Unit == BudgetUnit.WallClock ? budget.Amount : NonTimeBudgetReferenceSeconds;

    public Proposal ToProposal(TrialPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // A plan without a point of the space (a recommendation's validation run) is its configuration as given.
        Candidate candidate = plan.Unit.Count == 0 ? new Candidate([], plan.Configuration) : Space.Decode(plan.Unit);
        return new Proposal(candidate, plan.Fidelity, plan.Tag);
    }

    /// <summary>The tuner's view of a finished or abandoned trial; null for waiting and running ones.</summary>
    public TrialResult? ToResult(StoredTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.State switch
        {
            TrialState.Finished when trial.Record is TrialRecord r => new TrialResult(
                trial.Number, ToProposal(trial.Plan), r.Status, r.TimeToTargetSeconds, r.BestMetric, r.TrainSeconds, r.Curve),
            TrialState.Abandoned => new TrialResult(trial.Number, ToProposal(trial.Plan), TrialStatus.Failed, null, null, 0, []),
            _ => null,
        };
    }
}
