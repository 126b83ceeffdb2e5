using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Tuners;

/// <summary>
/// A deterministic stand-in for training runs, for testing tuners: a small space (lr on a log range, batch_size choice,
/// optional techniques "a".."e" where "c" has a range option "strength" and "b" conflicts with "d") and a
/// time-to-target for every configuration. The best recipe is lr 0.1, batch 256, a + b + c(strength 0.7), without d
/// or e: 400 × 0.85 × 0.6 × 0.8 × 0.7 ≈ 114 s. "a" with "e" diverges; a recipe slower than the budget misses the target.
/// <para>The metric grows as target × √(t / T) until the target time T, so a trial at fidelity f (trained for
/// f × <see cref="BudgetSeconds"/>) reaches the target when T ≤ f × budget, and otherwise ends censored
/// (<see cref="TrialStatus.NotReached"/>) with a best metric that grows with f.</para>
/// </summary>
internal static class SyntheticStudy
{
    public const double BudgetSeconds = 1000;
    public const double Target = 0.9;
    public const double BaseSeconds = 400;
    public const double DivergedSeconds = 50;
    public const double EvalEverySeconds = 50;

    public static readonly SearchSpace Space = new(
        new TrainingConfiguration(),
        [
            new RangeParameter("lr", 0.001, 1.0, log: true),
            new ChoiceParameter("batch_size", ["64", "128", "256", "512"]),
        ],
        [
            new TechniqueDimension("a"),
            new TechniqueDimension("b"),
            new TechniqueDimension("c", options: [new RangeParameter("strength", 0.0, 1.0)]),
            new TechniqueDimension("d"),
            new TechniqueDimension("e"),
        ],
        [("b", "d")]);

    public static readonly CensoredObjective Objective = new(BudgetSeconds, Target);

    /// <summary>The baseline recipe (lr 0.1, batch 128, no technique) as a point of <see cref="Space"/>.</summary>
    public static Candidate Baseline => Space.Encode(Space.Baseline) ?? throw new InvalidOperationException("baseline outside the space");

    /// <summary>Seconds to the target at full budget, or null when the configuration diverges.</summary>
    public static double? TargetSeconds(TrainingConfiguration configuration)
    {
        var on = configuration.Techniques.ToDictionary(t => t.Name, StringComparer.Ordinal);
        if (on.ContainsKey("a") && on.ContainsKey("e"))
        {
            return null;
        }

        double lrDistance = Math.Log10(configuration.LearningRate) + 1; // 0 at lr = 0.1
        double seconds = BaseSeconds * (1 + (2 * lrDistance * lrDistance));
        seconds *= configuration.BatchSize switch
        {
            64 => 1.3,
            128 => 1.0,
            256 => 0.85,
            _ => 1.1,
        };
        seconds *= on.ContainsKey("a") ? 0.6 : 1.0;
        seconds *= on.ContainsKey("b") ? 0.8 : 1.0;
        if (on.TryGetValue("c", out TechniqueSpec? c))
        {
            double strength = double.Parse(c.Options["strength"], CultureInfo.InvariantCulture);
            seconds *= 0.7 + (0.8 * (strength - 0.7) * (strength - 0.7));
        }

        seconds *= on.ContainsKey("d") ? 1.4 : 1.0;
        seconds *= on.ContainsKey("e") ? 0.9 : 1.0;
        return seconds;
    }

    /// <summary>The outcome of running <paramref name="proposal"/> as trial <paramref name="number"/>.</summary>
    public static TrialResult Evaluate(int number, Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        double horizon = proposal.Fidelity * BudgetSeconds;
        double? target = TargetSeconds(proposal.Candidate.Configuration);
        if (target is null)
        {
            double stopped = Math.Min(horizon, DivergedSeconds);
            return new TrialResult(number, proposal, TrialStatus.Diverged, null, null, stopped, Curve(stopped, _ => 0.1));
        }

        double t = target.Value;
        Func<double, double> metric = s => Target * Math.Sqrt(Math.Min(1.0, s / t));
        if (t <= horizon)
        {
            return new TrialResult(number, proposal, TrialStatus.Reached, t, Target, t, Curve(t, metric));
        }

        return new TrialResult(number, proposal, TrialStatus.NotReached, null, metric(horizon), horizon, Curve(horizon, metric));
    }

    /// <summary>
    /// Runs a study: trial numbers are dense in proposal order; up to <paramref name="workers"/> trials are pending at
    /// once and the oldest finishes first. Stops after <paramref name="trials"/> proposals, or when the tuner returns
    /// null with nothing pending. Every proposal is checked to be new among pending ones. <paramref name="space"/>
    /// defaults to <see cref="Space"/> (another space works when its configurations keep the same meaning).
    /// </summary>
    public static List<TrialResult> Run(ITuner tuner, long seed, int trials, int workers = 1, SearchSpace? space = null)
    {
        ArgumentNullException.ThrowIfNull(tuner);
        space ??= Space;
        var results = new List<TrialResult>();
        var pending = new List<(int Number, Proposal Proposal)>();
        int next = 0;
        int issued = 0;
        while (true)
        {
            Proposal? proposal = null;
            if (issued < trials && pending.Count < workers)
            {
                proposal = tuner.Propose(ProposalContext.For(space, seed, next, [.. pending.Select(p => p.Proposal)]));
            }

            if (proposal is not null)
            {
                Assert.DoesNotContain(pending, p => p.Proposal.Candidate.Key == proposal.Candidate.Key);
                pending.Add((next++, proposal));
                issued++;
                continue;
            }

            if (pending.Count == 0)
            {
                return results;
            }

            (int number, Proposal oldest) = pending[0];
            pending.RemoveAt(0);
            TrialResult result = Evaluate(number, oldest);
            tuner.Update(result);
            results.Add(result);
        }
    }

    /// <summary>The lowest <see cref="CensoredObjective.Score"/> among full-fidelity results (∞ when none).</summary>
    public static double BestScore(IEnumerable<TrialResult> results) =>
        results.Where(r => r.Proposal.Fidelity >= 1 || r.Reached).Select(Objective.Score).DefaultIfEmpty(double.PositiveInfinity).Min();

    /// <summary>A result for <paramref name="candidate"/> with a given status (for feeding tuners by hand).</summary>
    public static TrialResult Result(int number, Candidate candidate, TrialStatus status, double? seconds = null) =>
        Result(number, new Proposal(candidate), status, seconds);

    /// <summary>A result for <paramref name="proposal"/> with a given status: reached in <paramref name="seconds"/>
    /// (default 500), or censored at the budget with 80% of the target, or broken.</summary>
    public static TrialResult Result(int number, Proposal proposal, TrialStatus status, double? seconds = null) => new(
        number,
        proposal,
        status,
        status == TrialStatus.Reached ? seconds ?? 500 : null,
        status switch
        {
            TrialStatus.Reached => Target,
            TrialStatus.Diverged or TrialStatus.Failed => null,
            _ => Target * 0.8,
        },
        seconds ?? (status == TrialStatus.Reached ? 500 : BudgetSeconds),
        []);

    private static List<EvaluationPoint> Curve(double end, Func<double, double> metric)
    {
        var points = new List<EvaluationPoint>();
        for (double s = EvalEverySeconds; s < end; s += EvalEverySeconds)
        {
            points.Add(Point(s, metric(s)));
        }

        points.Add(Point(end, metric(end)));
        return points;
    }

    private static EvaluationPoint Point(double seconds, double metric)
    {
        long step = (long)Math.Round(seconds * 10);
        return new EvaluationPoint(step, step * 128, seconds, metric, 1 - metric, 1 - metric);
    }
}
