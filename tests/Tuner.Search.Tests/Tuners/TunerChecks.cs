using Tuner.Core.Configuration;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Tuners;

/// <summary>Checks every tuner must pass (determinism, rebuild by replay, no conflicts, no repeats).</summary>
internal static class TunerChecks
{
    /// <summary>A tiny space of four configurations (techniques "a" and "b" on or off), for exhaustion tests.</summary>
    public static readonly SearchSpace Tiny = new(new TrainingConfiguration(), [], [new TechniqueDimension("a"), new TechniqueDimension("b")]);

    public static string Describe(Proposal proposal) =>
        $"{proposal.Candidate.Key} | fidelity {proposal.Fidelity} | {proposal.Tag}";

    public static List<string> Describe(IEnumerable<TrialResult> results) =>
        [.. results.OrderBy(r => r.Number).Select(r => Describe(r.Proposal))];

    public static void SameSeedGivesSameProposals(Func<ITuner> make, long seed, int trials, int workers = 1)
    {
        List<string> first = Describe(SyntheticStudy.Run(make(), seed, trials, workers));
        List<string> second = Describe(SyntheticStudy.Run(make(), seed, trials, workers));
        Assert.Equal(trials, first.Count);
        Assert.Equal(first, second);
    }

    /// <summary>
    /// Runs a tuner for <paramref name="trials"/>, replays the history into a fresh one, then has both propose the next
    /// <paramref name="lookahead"/> trials in lockstep (with one pending proposal each time): they must agree.
    /// </summary>
    public static void ReplayedTunerProposesLikeTheOriginal(Func<ITuner> make, long seed, int trials, int lookahead = 4, int workers = 1)
    {
        ITuner lived = make();
        List<TrialResult> history = SyntheticStudy.Run(lived, seed, trials, workers);
        ITuner rebuilt = make();
        foreach (TrialResult result in history.OrderBy(r => r.Number))
        {
            rebuilt.Update(result);
        }

        int number = history.Count;
        for (int step = 0; step < lookahead; step++)
        {
            Proposal? a = lived.Propose(ProposalContext.For(SyntheticStudy.Space, seed, number));
            Proposal? b = rebuilt.Propose(ProposalContext.For(SyntheticStudy.Space, seed, number));
            Assert.NotNull(a);
            Assert.NotNull(b);
            Assert.Equal(Describe(a), Describe(b));

            // With a running trial, the next proposals must agree too (and differ from the running one).
            Proposal? c = lived.Propose(ProposalContext.For(SyntheticStudy.Space, seed, number + 1, [a]));
            Proposal? d = rebuilt.Propose(ProposalContext.For(SyntheticStudy.Space, seed, number + 1, [b]));
            Assert.NotNull(c);
            Assert.NotNull(d);
            Assert.Equal(Describe(c), Describe(d));
            Assert.NotEqual(a.Candidate.Key, c.Candidate.Key);

            TrialResult result = SyntheticStudy.Evaluate(number, a);
            lived.Update(result);
            rebuilt.Update(result);
            number++;
        }
    }

    public static void NoConflictingPair(IEnumerable<TrialResult> results)
    {
        foreach (TrialResult result in results)
        {
            IReadOnlyList<string> on = result.Proposal.Candidate.TechniqueNames;
            Assert.False(on.Contains("b") && on.Contains("d"), $"trial {result.Number} has both b and d: {result.Proposal.Candidate.Key}");
        }
    }

    public static void NoRepeats(IEnumerable<TrialResult> results)
    {
        List<string> keys = [.. results.Select(r => r.Proposal.Candidate.Key)];
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// Feeds a failed trial of one configuration of <see cref="Tiny"/>, then runs the tuner until it stops: it must
    /// propose the other three configurations exactly once each and never the failed one.
    /// </summary>
    public static void FailedConfigurationIsNeverRepeated(ITuner tuner, Candidate failed)
    {
        tuner.Update(SyntheticStudy.Result(0, failed, Core.Trials.TrialStatus.Failed));
        var proposed = new List<string>();
        for (int number = 1; number < 20; number++)
        {
            Proposal? proposal = tuner.Propose(ProposalContext.For(Tiny, 7, number));
            if (proposal is null)
            {
                break;
            }

            proposed.Add(proposal.Candidate.Key);
            tuner.Update(SyntheticStudy.Evaluate(number, proposal));
        }

        Assert.DoesNotContain(failed.Key, proposed);
        Assert.Equal(3, proposed.Count);
        Assert.Equal(3, proposed.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>The configuration of <see cref="Tiny"/> with the given techniques on.</summary>
    public static Candidate TinyWith(bool a, bool b) => Tiny.Decode([a ? 0.75 : 0.25, b ? 0.75 : 0.25]);
}
