using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

/// <summary>
/// A synthetic training run for multi-fidelity tests: each configuration has a learning curve
/// <c>plateau * (1 - exp(-t / tau))</c> over charged seconds, better (higher plateau, shorter tau) near an optimum of
/// lr and momentum, faster with ema, slower early but higher late with label smoothing (curves may cross). A trial at
/// fidelity f evaluates every <see cref="EvalEverySeconds"/> and at <c>f * budget</c>, and stops at the first
/// evaluation at or above <see cref="Target"/>, so a low-fidelity trial is a prefix of the full one as in the product.
/// A learning rate near the top of its range diverges.
/// </summary>
/// <param name="lrOptimum">Unit coordinate of the best learning rate.</param>
/// <param name="momentumOptimum">Unit coordinate of the best momentum.</param>
public sealed class MultiFidelityObjective(double lrOptimum = 0.55, double momentumOptimum = 0.7)
{
    public const double BudgetSeconds = 100;
    public const double Target = 0.9;
    public const double EvalEverySeconds = 2;

    public static SearchSpace Space { get; } = new(
        new TrainingConfiguration(),
        [new RangeParameter("lr", 1e-3, 1, log: true), new RangeParameter("momentum", 0, 0.99)],
        [new TechniqueDimension("ema"), new TechniqueDimension("label_smoothing", options: [new RangeParameter("smoothing", 0, 0.2)])]);

    public CensoredObjective Censored { get; } = new(BudgetSeconds, Target);

    public static bool Diverges(Candidate candidate) => candidate.Unit[0] > 0.93;

    public double Metric(Candidate candidate, double seconds)
    {
        double d = Math.Pow(candidate.Unit[0] - lrOptimum, 2) + Math.Pow(candidate.Unit[1] - momentumOptimum, 2);
        double plateau = 0.97 - (0.6 * d);
        double tau = 8 * (1 + (5 * d));
        if (candidate.TechniqueNames.Contains("ema"))
        {
            tau *= 0.8;
        }

        if (candidate.TechniqueNames.Contains("label_smoothing"))
        {
            tau *= 1.15;
            plateau += 0.1 * candidate.Unit[4] * 0.2;
        }

        return plateau * (1 - Math.Exp(-seconds / tau));
    }

    public TrialResult Run(int number, Proposal proposal)
    {
        Candidate candidate = proposal.Candidate;
        double end = proposal.Fidelity * BudgetSeconds;
        if (Diverges(candidate))
        {
            return new TrialResult(number, proposal, TrialStatus.Diverged, null, null, Math.Min(end, EvalEverySeconds), []);
        }

        var curve = new List<EvaluationPoint>();
        for (int k = 1; ; k++)
        {
            double t = Math.Min(end, k * EvalEverySeconds);
            double metric = Metric(candidate, t);
            curve.Add(new EvaluationPoint(k, k * 100, t, metric, 1 - metric, 1 - metric));
            if (metric >= Target)
            {
                return new TrialResult(number, proposal, TrialStatus.Reached, t, metric, t, curve);
            }

            if (t >= end)
            {
                TrialStatus status = proposal.Fidelity < 1 ? TrialStatus.Pruned : TrialStatus.NotReached;
                return new TrialResult(number, proposal, status, null, curve.Max(p => p.Metric), end, curve);
            }
        }
    }

    /// <summary>The censored score <paramref name="candidate"/> gets from a full-fidelity trial.</summary>
    public double FullScore(Candidate candidate) => Censored.Score(Run(-1, new Proposal(candidate)));

    /// <summary>The cost of a full-fidelity trial of <paramref name="candidate"/> (it stops at the target).</summary>
    public double FullCost(Candidate candidate) => Run(-1, new Proposal(candidate)).CostSeconds;
}
