using Tuner.Core.Trials;

namespace Tuner.Search.Tuners;

/// <summary>
/// A finished trial as tuners and pruners see it (a read-only snapshot; the full record lives in the study store).
/// </summary>
/// <param name="Number">Trial number in the study.</param>
/// <param name="Proposal">What was proposed (configuration, fidelity, tag).</param>
/// <param name="Status">How it ended; <see cref="TrialStatus.Pruned"/> when a pruner or a cap stopped it.</param>
/// <param name="TimeToTargetSeconds">Charged seconds to the target, when reached.</param>
/// <param name="BestMetric">Best validation metric seen (null when it never evaluated).</param>
/// <param name="CostSeconds">Charged training seconds the trial used (its cost).</param>
/// <param name="Curve">Evaluations: charged seconds and metric.</param>
public sealed record TrialResult(
    int Number,
    Proposal Proposal,
    TrialStatus Status,
    double? TimeToTargetSeconds,
    double? BestMetric,
    double CostSeconds,
    IReadOnlyList<EvaluationPoint> Curve)
{
    public bool Reached => Status == TrialStatus.Reached && TimeToTargetSeconds is not null;

    /// <summary>Diverged and failed trials are kept in the record and never recommended.</summary>
    public bool Broken => Status is TrialStatus.Diverged or TrialStatus.Failed or TrialStatus.OverMemory;
}
