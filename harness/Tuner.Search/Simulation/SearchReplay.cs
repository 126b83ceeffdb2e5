using Tuner.Core.Trials;
using Tuner.Search.Pruners;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Simulation;

/// <summary>
/// Runs a tuner against a <see cref="TruthTable"/> instead of training: the same ask/tell loop as the product's
/// StudyRunner with one worker (each proposal from <c>ProposalContext.For(space, tunerSeed, trial number)</c> with
/// nothing pending, each trial simulated by <see cref="TrialSimulator"/> with the median pruner and the adaptive cap
/// of <see cref="ReplaySettings"/>, each result handed to <see cref="ITuner.Update"/>), until the tuner returns null,
/// <see cref="ReplaySettings.MaxTrials"/> trials, or, with <see cref="ReplaySettings.StopWhenFound"/>, a good
/// configuration is found.
/// <para>Found: after a trial finishes, the incumbent (the best finished trial by
/// <see cref="Objective.CensoredObjective.Score"/>, ties by trial number, as the product ranks them) reached the
/// target in at most (1 + <see cref="ReplaySettings.Tolerance"/>) × the truth's best time-to-target. The compute to
/// find it is the sum of the simulated trials' charged seconds up to and including that trial.</para>
/// </summary>
public static class SearchReplay
{
    /// <exception cref="ArgumentException">Invalid <paramref name="settings"/>.</exception>
    /// <exception cref="InvalidOperationException">No record of <paramref name="truth"/> reached the target (nothing to find).</exception>
    /// <exception cref="KeyNotFoundException">The tuner proposed a configuration the truth does not have.</exception>
    public static ReplayOutcome Run(ITuner tuner, SearchSpace space, TruthTable truth, long tunerSeed, ReplaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(tuner);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is string problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        double bestSeconds = truth.BestTimeToTargetSeconds
            ?? throw new InvalidOperationException("no configuration of the truth table reached the target: there is nothing to find");
        double goodSeconds = (1 + settings.Tolerance) * bestSeconds;
        IPruner? pruner = settings.Prune ? new MedianPruner(lowerIsBetter: truth.Target.LowerIsBetter) : null;
        var finished = new List<TrialResult>();
        double compute = 0;
        int? foundAt = null;
        double foundCompute = double.PositiveInfinity;
        while (finished.Count < settings.MaxTrials)
        {
            Proposal? proposal = tuner.Propose(ProposalContext.For(space, tunerSeed, finished.Count, []));
            if (proposal is null)
            {
                break;
            }

            TrialRecord record = truth.Lookup(proposal.Candidate);
            double stopAt = TrialSimulator.StopFraction(proposal.Fidelity, finished, settings.CapFactor, truth.BudgetSeconds);
            TrialResult result = TrialSimulator.Run(finished.Count, proposal, record, stopAt, truth.BudgetSeconds, pruner, finished);
            compute += result.CostSeconds;
            tuner.Update(result);
            finished.Add(result);
            if (foundAt is null)
            {
                TrialResult incumbent = truth.Objective.Rank(finished).First();
                if (incumbent.Reached && incumbent.TimeToTargetSeconds <= goodSeconds)
                {
                    foundAt = finished.Count;
                    foundCompute = compute;
                    if (settings.StopWhenFound)
                    {
                        break;
                    }
                }
            }
        }

        return new ReplayOutcome(tunerSeed, foundAt, foundCompute, compute, finished);
    }
}

/// <summary>What one replayed search did.</summary>
/// <param name="TunerSeed">The tuner seed.</param>
/// <param name="TrialsToFind">Trials run when a good configuration was first the incumbent (counting that trial), or null when never.</param>
/// <param name="ComputeToFindSeconds">Charged seconds of those trials, or +infinity when never found.</param>
/// <param name="TotalComputeSeconds">Charged seconds of every trial the replay ran.</param>
/// <param name="Trials">The simulated trials in order.</param>
public sealed record ReplayOutcome(long TunerSeed, int? TrialsToFind, double ComputeToFindSeconds, double TotalComputeSeconds, IReadOnlyList<TrialResult> Trials)
{
    public bool Found => TrialsToFind is not null;
}
