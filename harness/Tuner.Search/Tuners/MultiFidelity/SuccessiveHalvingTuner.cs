using Tuner.Search.Objective;
using Tuner.Search.Space;

namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// Synchronous successive halving (Jamieson and Talwalkar 2016): a bracket runs <c>n</c> new configurations at the
/// lowest fidelity, keeps the best 1/eta (by <see cref="CensoredObjective.Score"/>) and runs them eta times longer,
/// and so on up to the full budget; then a new bracket starts with new configurations, for as long as the study asks.
/// <para>Specific to this product: a low-fidelity trial is an exact prefix of the full trial, so a trial that reached
/// the target is final. It is never promoted (re-running it would repeat the same time-to-target) but keeps its place
/// among the selected ones at every higher rung, so it takes a slot that would otherwise promote another
/// configuration. Diverged and failed trials are never promoted.</para>
/// <para>Synchronous: <see cref="Propose"/> returns null while a rung waits for trials in
/// <see cref="ProposalContext.Pending"/>. New configurations come from the sampler (uniform random by default),
/// skipping keys already run at that fidelity or higher and keys that reached the target. Each proposal is tagged
/// <c>b{bracket}/r{rung}</c>; the state is rebuilt from those tags, so replaying <see cref="Update"/> after a restart
/// (with the pending proposals in the context) continues where the study stopped.</para>
/// </summary>
public sealed class SuccessiveHalvingTuner : ITuner
{
    private readonly SynchronousBrackets _brackets;

    /// <param name="objective">Ranks trials within a rung.</param>
    /// <param name="eta">Reduction factor (default 3).</param>
    /// <param name="minFidelity">Fidelity of the lowest rung (default 1/9: rungs 1/9, 1/3, 1 with eta 3).</param>
    /// <param name="configsPerBracket">New configurations per bracket; default eta^R so one reaches full fidelity; at least that.</param>
    /// <param name="sampler">Draws a configuration from the context (null: uniform random over the space); may return null when it has none.</param>
    public SuccessiveHalvingTuner(
        CensoredObjective objective,
        int eta = 3,
        double minFidelity = 1.0 / 9,
        int? configsPerBracket = null,
        Func<ProposalContext, Candidate?>? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        Rungs = new Rungs(eta, minFidelity);
        long least = Rungs.Power(Rungs.Top);
        int n = configsPerBracket ?? (int)least;
        if (n < least)
        {
            throw new ArgumentOutOfRangeException(nameof(configsPerBracket), configsPerBracket, $"a bracket needs at least eta^{Rungs.Top} = {least} configurations so that one reaches full fidelity");
        }

        var configs = new int[Rungs.Top + 1];
        for (int i = 0; i <= Rungs.Top; i++)
        {
            configs[i] = (int)(n / Rungs.Power(i));
        }

        Plan = new BracketPlan(0, configs);
        _brackets = new SynchronousBrackets(Rungs, _ => Plan, new TrialHistory(objective, sampler));
    }

    public Rungs Rungs { get; }

    /// <summary>Every bracket's plan: starts at rung 0 with <c>configsPerBracket</c> configurations.</summary>
    public BracketPlan Plan { get; }

    public Proposal? Propose(ProposalContext context) => _brackets.Propose(context);

    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _brackets.Update(result);
    }
}
