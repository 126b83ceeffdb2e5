namespace Tuner.Search.Tuners;

/// <summary>
/// A search strategy with ask/tell separation. A tuner is deterministic for a given seed and history: its state is
/// rebuilt after a restart by creating it again and calling <see cref="Update"/> with every finished trial in trial
/// number order; <see cref="Propose"/> draws its random numbers from <see cref="ProposalContext.Random"/>, which
/// depends only on the tuner seed and the trial number.
/// </summary>
public interface ITuner
{
    /// <summary>The next trial to run, or null when there is nothing to propose now (the search is exhausted, or a
    /// synchronous stage waits for running trials in <see cref="ProposalContext.Pending"/>).</summary>
    Proposal? Propose(ProposalContext context);

    /// <summary>Takes a finished trial (any status) into account.</summary>
    void Update(TrialResult result);
}
