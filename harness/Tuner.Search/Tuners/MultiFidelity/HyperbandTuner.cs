using Tuner.Search.Objective;
using Tuner.Search.Space;

namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// Hyperband (Li et al. 2018): successive-halving brackets that trade many cheap configurations against few long
/// ones, cycling through s = smax..0 with smax = <see cref="Rungs.Top"/>. Bracket s starts
/// <c>n = ceil((smax + 1) / (s + 1) * eta^s)</c> configurations at fidelity <c>eta^-s</c> (rung <c>smax - s</c>) and
/// keeps <c>floor(n * eta^-i)</c> of them at its i-th rung, the paper's table (eta 3, smax 3: 27/9/3/1, 12/4/1, 6/2, 4).
/// After bracket s = 0 the cycle starts again with new configurations.
/// <para>Each bracket runs as in <see cref="SuccessiveHalvingTuner"/>: synchronous (null while a rung waits for
/// pending trials), reached trials never promoted but kept among the selected ones at higher rungs, diverged and
/// failed never promoted, tags <c>b{bracket}/r{rung}</c> with the bracket counted over the study (its s is
/// <c>smax - bracket mod (smax + 1)</c>), so the state is rebuilt by replaying <see cref="Update"/>.</para>
/// </summary>
public sealed class HyperbandTuner : ITuner
{
    private readonly SynchronousBrackets _brackets;

    /// <param name="objective">Ranks trials within a rung.</param>
    /// <param name="eta">Reduction factor (default 3).</param>
    /// <param name="minFidelity">Fidelity of the lowest rung (default 1/9: smax 2 with eta 3).</param>
    /// <param name="sampler">Draws a configuration from the context (null: uniform random over the space); may return null when it has none.</param>
    public HyperbandTuner(
        CensoredObjective objective,
        int eta = 3,
        double minFidelity = 1.0 / 9,
        Func<ProposalContext, Candidate?>? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        Rungs = new Rungs(eta, minFidelity);
        Brackets = Schedule(Rungs);
        _brackets = new SynchronousBrackets(Rungs, b => Brackets[b % Brackets.Count], new TrialHistory(objective, sampler));
    }

    public Rungs Rungs { get; }

    /// <summary>One cycle of brackets, s = smax first (most configurations, lowest fidelity), s = 0 last.</summary>
    public IReadOnlyList<BracketPlan> Brackets { get; }

    /// <summary>The bracket schedule of Li et al. 2018 (Algorithm 1) for the rungs of <paramref name="rungs"/>.</summary>
    public static IReadOnlyList<BracketPlan> Schedule(Rungs rungs)
    {
        ArgumentNullException.ThrowIfNull(rungs);
        int smax = rungs.Top;
        var brackets = new List<BracketPlan>(smax + 1);
        for (int s = smax; s >= 0; s--)
        {
            long numerator = (smax + 1) * rungs.Power(s);
            long n = (numerator + s) / (s + 1);
            var configs = new int[s + 1];
            for (int i = 0; i <= s; i++)
            {
                configs[i] = (int)(n / rungs.Power(i));
            }

            brackets.Add(new BracketPlan(smax - s, configs));
        }

        return brackets;
    }

    public Proposal? Propose(ProposalContext context) => _brackets.Propose(context);

    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _brackets.Update(result);
    }
}
