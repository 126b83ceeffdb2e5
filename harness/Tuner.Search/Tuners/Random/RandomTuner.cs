using Tuner.Search.Space;

namespace Tuner.Search.Tuners.RandomSearch;

/// <summary>
/// Random search: each proposal is a uniform sample of the unit cube (<see cref="SearchSpace.Sample"/>, so
/// conflicts are repaired), redrawn while its configuration was already finished or is pending. It is the baseline
/// every other tuner must beat, and it never stops on its own until <see cref="TriedKeys.MaxDuplicateDraws"/> draws
/// in a row are all known (the space is exhausted), when <see cref="Propose"/> returns null.
/// </summary>
/// <remarks>The only state is the set of finished keys, so replaying <see cref="Update"/> rebuilds it exactly.</remarks>
public sealed class RandomTuner : ITuner
{
    private readonly TriedKeys _tried = new();
    private readonly int _maxDuplicateDraws;

    /// <param name="maxDuplicateDraws">Known configurations drawn in a row before giving up (returning null).</param>
    public RandomTuner(int maxDuplicateDraws = TriedKeys.MaxDuplicateDraws)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDuplicateDraws, 1);
        _maxDuplicateDraws = maxDuplicateDraws;
    }

    public Proposal? Propose(ProposalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        HashSet<string> taken = _tried.With(context.Pending);
        Candidate? candidate = TriedKeys.DrawNew(context.Space, context.Random, taken, _maxDuplicateDraws);
        return candidate is null ? null : new Proposal(candidate);
    }

    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _tried.Add(result);
    }
}
