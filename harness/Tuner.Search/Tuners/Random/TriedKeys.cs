using Tuner.Search.Space;

namespace Tuner.Search.Tuners.RandomSearch;

/// <summary>
/// The configurations a full-fidelity tuner must not propose again: keys of finished trials that settle the
/// configuration (run at full fidelity, reached the target at any fidelity, or diverged/failed at any fidelity, which a
/// longer run would repeat) and keys of every pending proposal. Shared by the random, grid, SMAC and CFO tuners so they
/// agree on what "already tried" means; it only grows, so replaying <see cref="ITuner.Update"/> rebuilds it.
/// </summary>
internal sealed class TriedKeys
{
    /// <summary>Draws in a row that may all be known before a sampler concludes that the space is spent.</summary>
    public const int MaxDuplicateDraws = 1000;

    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);

    public int Count => _finished.Count;

    /// <summary>Whether <paramref name="result"/> settles its configuration for a full-fidelity tuner.</summary>
    public static bool Settles(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Proposal.Fidelity >= 1.0 || result.Reached || result.Broken;
    }

    public void Add(TrialResult result)
    {
        if (Settles(result))
        {
            _finished.Add(result.Proposal.Candidate.Key);
        }
    }

    /// <summary>Finished keys plus the keys of <paramref name="pending"/> proposals (any fidelity).</summary>
    public HashSet<string> With(IReadOnlyList<Proposal> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var keys = new HashSet<string>(_finished, StringComparer.Ordinal);
        foreach (Proposal proposal in pending)
        {
            keys.Add(proposal.Candidate.Key);
        }

        return keys;
    }

    /// <summary>
    /// A uniform sample of <paramref name="space"/> whose key is not in <paramref name="taken"/>, or null when
    /// <paramref name="maxDraws"/> draws in a row were all taken (the space is, in practice, exhausted).
    /// </summary>
    public static Candidate? DrawNew(SearchSpace space, Random random, HashSet<string> taken, int maxDraws = MaxDuplicateDraws)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(taken);
        for (int draw = 0; draw < maxDraws; draw++)
        {
            Candidate candidate = space.Sample(random);
            if (!taken.Contains(candidate.Key))
            {
                return candidate;
            }
        }

        return null;
    }
}
