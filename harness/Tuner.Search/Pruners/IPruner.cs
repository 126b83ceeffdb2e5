using Tuner.Core.Trials;

namespace Tuner.Search.Pruners;

/// <summary>Decides from intermediate reports whether a running trial should stop early (it is then Pruned).</summary>
public interface IPruner
{
    /// <summary>Called after each evaluation of a running trial that has not reached the target.</summary>
    /// <param name="curve">The running trial's evaluations so far.</param>
    /// <param name="finished">Finished trials of the study (for comparison).</param>
    bool ShouldPrune(IReadOnlyList<EvaluationPoint> curve, IReadOnlyList<Tuners.TrialResult> finished);
}
