using Tuner.Core.Trials;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

/// <summary>
/// The lead's propose/update loop in miniature: numbers trials densely, hands the tuner the pending proposals in
/// the context, and finishes trials when the test says (<see cref="Finish"/>) or by itself (<see cref="Run"/>, on a
/// simulated clock: each trial takes its charged cost from when it was proposed, and the first to end finishes first,
/// as on parallel workers, so updates do not arrive in trial number order).
/// </summary>
public sealed class MultiFidelityStudy(ITuner tuner, long seed = 7, SearchSpace? space = null)
{
    private readonly SortedDictionary<int, Proposal> _pending = [];
    private readonly Dictionary<int, double> _started = [];
    private double _clock;

    public SearchSpace Space { get; } = space ?? MultiFidelityObjective.Space;

    public ITuner Tuner { get; } = tuner;

    public int NextNumber { get; private set; }

    /// <summary>Every proposal handed out, by trial number.</summary>
    public List<Proposal> Proposed { get; } = [];

    /// <summary>Finished trials in the order they finished.</summary>
    public List<TrialResult> Finished { get; } = [];

    public IReadOnlyList<Proposal> Pending => [.. _pending.Values];

    public IEnumerable<int> PendingNumbers => _pending.Keys;

    public ProposalContext Context() => ProposalContext.For(Space, seed, NextNumber, Pending);

    /// <summary>Asks the tuner for the next trial; a proposal becomes pending under the next number.</summary>
    public Proposal? Ask()
    {
        Proposal? proposal = Tuner.Propose(Context());
        if (proposal is not null)
        {
            _started[NextNumber] = _clock;
            _pending[NextNumber++] = proposal;
            Proposed.Add(proposal);
        }

        return proposal;
    }

    /// <summary>Asks until the tuner returns null or <paramref name="max"/> proposals were made.</summary>
    public List<Proposal> AskAll(int max = 1000)
    {
        var proposals = new List<Proposal>();
        while (proposals.Count < max && Ask() is Proposal proposal)
        {
            proposals.Add(proposal);
        }

        return proposals;
    }

    public Proposal PendingProposal(int number) => _pending[number];

    /// <summary>Finishes pending trial <paramref name="number"/> with the result <paramref name="run"/> makes.</summary>
    public TrialResult Finish(int number, Func<int, Proposal, TrialResult> run)
    {
        Proposal proposal = _pending[number];
        _pending.Remove(number);
        TrialResult result = run(number, proposal);
        Finished.Add(result);
        Tuner.Update(result);
        return result;
    }

    /// <summary>Finishes pending trial <paramref name="number"/> without reaching the target, with best metric <paramref name="metric"/>.</summary>
    public TrialResult Miss(int number, double metric) => Finish(number, (n, p) => Missed(n, p, metric));

    /// <summary>Finishes pending trial <paramref name="number"/> as reached after <paramref name="seconds"/>.</summary>
    public TrialResult Reach(int number, double seconds) => Finish(number, (n, p) =>
        new TrialResult(n, p, TrialStatus.Reached, seconds, MultiFidelityObjective.Target, seconds, [Point(seconds, MultiFidelityObjective.Target)]));

    /// <summary>Finishes pending trial <paramref name="number"/> as diverged.</summary>
    public TrialResult Diverge(int number) => Finish(number, (n, p) => new TrialResult(n, p, TrialStatus.Diverged, null, null, 1, []));

    /// <summary>
    /// Runs the study on <paramref name="objective"/> with <paramref name="workers"/> trials at a time until
    /// <paramref name="trials"/> were proposed (or the tuner has nothing more), then lets the pending ones finish
    /// when <paramref name="drain"/>.
    /// </summary>
    public void Run(MultiFidelityObjective objective, int trials, int workers = 1, bool drain = true)
    {
        while (NextNumber < trials)
        {
            if (_pending.Count < workers && Ask() is not null)
            {
                continue;
            }

            if (_pending.Count == 0)
            {
                break;
            }

            FinishFirst(objective);
        }

        while (drain && _pending.Count > 0)
        {
            FinishFirst(objective);
        }
    }

    /// <summary>Finishes the pending trial that ends first on the simulated clock (the oldest among equals).</summary>
    public TrialResult FinishFirst(MultiFidelityObjective objective)
    {
        (int number, double end) = _pending
            .Select(p => (Number: p.Key, End: _started[p.Key] + objective.Run(p.Key, p.Value).CostSeconds))
            .OrderBy(p => p.End).ThenBy(p => p.Number).First();
        _clock = Math.Max(_clock, end);
        return Finish(number, objective.Run);
    }

    public static TrialResult Missed(int number, Proposal proposal, double metric)
    {
        TrialStatus status = proposal.Fidelity < 1 ? TrialStatus.Pruned : TrialStatus.NotReached;
        double cost = proposal.Fidelity * MultiFidelityObjective.BudgetSeconds;
        return new TrialResult(number, proposal, status, null, metric, cost, [Point(cost, metric)]);
    }

    private static EvaluationPoint Point(double seconds, double metric) => new(1, 1, seconds, metric, 1 - metric, 1 - metric);
}
