using Tuner.Search.Objective;
using Tuner.Search.Space;

namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// What a multi-fidelity tuner remembers: the finished trials by number (so the order <see cref="ITuner.Update"/>
/// received them in does not matter and a replay after a restart rebuilds the same state), their ranking by
/// <see cref="CensoredObjective.Score"/> (ties by trial number), and the drawing of configurations not tried yet.
/// </summary>
internal sealed class TrialHistory
{
    /// <summary>Draws tried before concluding that the sampler has no configuration left for a rung.</summary>
    public const int SampleAttempts = 100;

    private readonly SortedDictionary<int, TrialResult> _results = [];
    private readonly CensoredObjective _objective;
    private readonly Func<ProposalContext, Candidate?> _sampler;

    public TrialHistory(CensoredObjective objective, Func<ProposalContext, Candidate?>? sampler)
    {
        ArgumentNullException.ThrowIfNull(objective);
        _objective = objective;
        _sampler = sampler ?? Uniform;
    }

    /// <summary>Finished trials in trial number order.</summary>
    public IEnumerable<TrialResult> Results => _results.Values;

    /// <summary>Adds a finished trial; a second result with the same number replaces the first.</summary>
    public void Add(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _results[result.Number] = result;
    }

    /// <summary>Best first: lowest censored score, then lowest trial number.</summary>
    public List<TrialResult> Rank(IEnumerable<TrialResult> results) =>
        [.. results.OrderBy(_objective.Score).ThenBy(r => r.Number)];

    /// <summary>
    /// Keys already run or running at <paramref name="fidelity"/> or more (a lower-fidelity trial is a prefix of a
    /// higher one, so they are known), and keys that reached the target at any fidelity (their result is final).
    /// </summary>
    public HashSet<string> Known(double fidelity, IReadOnlyList<Proposal> pending)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (TrialResult result in _results.Values)
        {
            if (result.Reached || result.Proposal.Fidelity >= fidelity - Rungs.Tolerance)
            {
                keys.Add(result.Proposal.Candidate.Key);
            }
        }

        foreach (Proposal proposal in pending)
        {
            if (proposal.Fidelity >= fidelity - Rungs.Tolerance)
            {
                keys.Add(proposal.Candidate.Key);
            }
        }

        return keys;
    }

    /// <summary>
    /// A configuration from the sampler whose key is not <see cref="Known"/> at <paramref name="fidelity"/>, or null
    /// when the sampler returns null or only known keys in <see cref="SampleAttempts"/> draws (a small space is spent).
    /// </summary>
    public Candidate? SampleNew(ProposalContext context, double fidelity)
    {
        HashSet<string> known = Known(fidelity, context.Pending);
        for (int attempt = 0; attempt < SampleAttempts; attempt++)
        {
            Candidate? candidate = _sampler(context);
            if (candidate is null)
            {
                return null;
            }

            if (!known.Contains(candidate.Key))
            {
                return candidate;
            }
        }

        return null;
    }

    private static Candidate? Uniform(ProposalContext context) => context.Space.Sample(context.Random);
}
