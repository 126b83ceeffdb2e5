using Tuner.Search.Objective;
using Tuner.Search.Space;

namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020): never waits. On each <see cref="Propose"/> it looks at
/// the rungs from the second highest down and promotes, to the next rung, the best configuration that is in the top
/// 1/eta of its rung's finished trials (<c>floor(count / eta)</c> of them, ranked by
/// <see cref="CensoredObjective.Score"/>) and has not been promoted yet (no trial of its key, finished or pending, at
/// the next rung's fidelity or above); when no rung has one, it starts a new configuration at the lowest rung. With
/// one trial at a time this still works: every eta finished trials of a rung promote one more of them.
/// <para>Specific to this product: a trial that reached the target is final (a low-fidelity trial is an exact prefix
/// of the full one). It is never promoted, and it counts as present, with its score, in every rung above its own,
/// so it takes a top slot there that would otherwise promote another configuration. Diverged and failed trials are
/// never promoted. A rung's membership comes from the proposal tag <c>r{rung}</c>, so the state is a pure function of
/// the <see cref="Update"/> history and the context (pending promotions are read from
/// <see cref="ProposalContext.Pending"/>). New configurations come from the sampler (uniform random by default),
/// skipping keys already run at the lowest fidelity or higher and keys that reached the target; Propose returns null
/// only when no rung can promote and the sampler has nothing new.</para>
/// </summary>
public sealed class AshaTuner : ITuner
{
    private readonly TrialHistory _history;

    /// <param name="objective">Ranks trials within a rung.</param>
    /// <param name="eta">Reduction factor (default 3).</param>
    /// <param name="minFidelity">Fidelity of the lowest rung (default 1/9: rungs 1/9, 1/3, 1 with eta 3).</param>
    /// <param name="sampler">Draws a configuration from the context (null: uniform random over the space); may return null when it has none.</param>
    public AshaTuner(
        CensoredObjective objective,
        int eta = 3,
        double minFidelity = 1.0 / 9,
        Func<ProposalContext, Candidate?>? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        Rungs = new Rungs(eta, minFidelity);
        _history = new TrialHistory(objective, sampler);
    }

    public Rungs Rungs { get; }

    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _history.Add(result);
    }

    public Proposal? Propose(ProposalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var byRung = new List<TrialResult>[Rungs.Top + 1];
        for (int r = 0; r <= Rungs.Top; r++)
        {
            byRung[r] = [];
        }

        foreach (TrialResult result in _history.Results)
        {
            if (RungTag.TryParseRung(result.Proposal.Tag, out int rung) && rung <= Rungs.Top)
            {
                byRung[rung].Add(result);
            }
        }

        for (int rung = Rungs.Top - 1; rung >= 0; rung--)
        {
            // Trials that reached the target at a lower rung are present here too, as they are.
            List<TrialResult> participants = [.. byRung[rung], .. byRung.Take(rung).SelectMany(r => r).Where(r => r.Reached)];
            int keep = participants.Count / Rungs.Eta;
            if (keep == 0)
            {
                continue;
            }

            double next = Rungs.Fidelity(rung + 1);
            HashSet<string> promoted = _history.Known(next, context.Pending);
            TrialResult? best = _history.Rank(participants).Take(keep)
                .FirstOrDefault(r => !r.Reached && !r.Broken && !promoted.Contains(r.Proposal.Candidate.Key));
            if (best is not null)
            {
                return new Proposal(best.Proposal.Candidate, next, RungTag.Rung(rung + 1));
            }
        }

        Candidate? candidate = _history.SampleNew(context, Rungs.Fidelity(0));
        return candidate is null ? null : new Proposal(candidate, Rungs.Fidelity(0), RungTag.Rung(0));
    }
}
