using Tuner.Search.Space;

namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// Synchronous successive halving over a sequence of brackets, shared by <see cref="SuccessiveHalvingTuner"/> (every
/// bracket the same) and <see cref="HyperbandTuner"/> (brackets cycling through its schedule). Brackets run one after
/// the other; the state is recomputed on every <see cref="Propose"/> from the finished trials and the pending
/// proposals, identified by their <c>b{bracket}/r{rung}</c> tags, so it is a pure function of the
/// <see cref="Update"/> history and the context.
/// <para>Within a bracket: start rung first gets its new configurations; when all of them finished, the best
/// <c>Configs[i + 1]</c> of rung i (never more than a 1/eta share of its participants, at least one) are selected;
/// selected trials that reached the target are carried up as they are (never re-run, still counted), the others
/// that are not diverged or failed run at the next rung. The next rung's participants are the promoted trials'
/// new results plus the carried ones. The bracket ends after its last rung, or as soon as a selection promotes
/// nothing, and the next bracket starts.</para>
/// </summary>
internal sealed class SynchronousBrackets
{
    private readonly Rungs _rungs;
    private readonly Func<int, BracketPlan> _plan;
    private readonly TrialHistory _history;

    public SynchronousBrackets(Rungs rungs, Func<int, BracketPlan> plan, TrialHistory history)
    {
        _rungs = rungs;
        _plan = plan;
        _history = history;
    }

    private enum Outcome
    {
        Run,
        Wait,
        Done,
        Exhausted,
    }

    public void Update(TrialResult result) => _history.Add(result);

    public Proposal? Propose(ProposalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entries = new List<Entry>();
        foreach (TrialResult result in _history.Results)
        {
            Add(entries, result.Proposal, result);
        }

        foreach (Proposal pending in context.Pending)
        {
            Add(entries, pending, null);
        }

        int bracket = entries.Count == 0 ? 0 : entries.Max(e => e.Bracket);
        (Outcome outcome, Proposal? proposal) = Advance(bracket, entries, context);
        if (outcome == Outcome.Done)
        {
            (_, proposal) = Advance(bracket + 1, entries, context);
        }

        return proposal;
    }

    private void Add(List<Entry> entries, Proposal proposal, TrialResult? result)
    {
        if (RungTag.TryParseBracketed(proposal.Tag, out int bracket, out int rung) && rung <= _rungs.Top)
        {
            entries.Add(new Entry(bracket, rung, proposal.Candidate.Key, result));
        }
    }

    private (Outcome Outcome, Proposal? Proposal) Advance(int bracket, List<Entry> entries, ProposalContext context)
    {
        BracketPlan plan = _plan(bracket);
        var mine = entries.Where(e => e.Bracket == bracket && e.Rung >= plan.StartRung && e.Rung <= plan.EndRung).ToList();
        int start = plan.StartRung;
        var first = mine.Where(e => e.Rung == start).ToList();
        bool closed = mine.Exists(e => e.Rung > start);
        int started = first.Select(e => e.Key).Distinct(StringComparer.Ordinal).Count();
        if (!closed && started < plan.Configs[0])
        {
            Candidate? candidate = _history.SampleNew(context, _rungs.Fidelity(start));
            if (candidate is not null)
            {
                return (Outcome.Run, new Proposal(candidate, _rungs.Fidelity(start), RungTag.Bracketed(bracket, start)));
            }

            if (started == 0)
            {
                return (Outcome.Exhausted, null);
            }
        }

        if (first.Exists(e => e.Result is null))
        {
            return (Outcome.Wait, null);
        }

        List<TrialResult> participants = [.. first.Select(e => e.Result!)];
        for (int rung = start; rung < plan.EndRung; rung++)
        {
            int keep = Math.Min(plan.Configs[rung - start + 1], Math.Max(1, participants.Count / _rungs.Eta));
            List<TrialResult> selected = [.. _history.Rank(participants).Take(keep)];
            List<TrialResult> carried = [.. selected.Where(r => r.Reached)];
            List<TrialResult> promoted = [.. selected.Where(r => !r.Reached && !r.Broken)];
            if (promoted.Count == 0)
            {
                return (Outcome.Done, null);
            }

            var next = mine.Where(e => e.Rung == rung + 1).ToList();
            var startedNext = next.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            TrialResult? unstarted = promoted.Find(r => !startedNext.Contains(r.Proposal.Candidate.Key));
            if (unstarted is not null)
            {
                return (Outcome.Run, new Proposal(unstarted.Proposal.Candidate, _rungs.Fidelity(rung + 1), RungTag.Bracketed(bracket, rung + 1)));
            }

            if (next.Exists(e => e.Result is null))
            {
                return (Outcome.Wait, null);
            }

            participants = [.. next.Select(e => e.Result!), .. carried];
        }

        return (Outcome.Done, null);
    }

    private sealed record Entry(int Bracket, int Rung, string Key, TrialResult? Result);
}
