using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.MultiFidelity;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

/// <summary>Properties every multi-fidelity tuner must have: determinism, rebuild by replay, and saving cost.</summary>
public sealed class MultiFidelityStudyTests
{
    private static readonly MultiFidelityObjective Objective = new();

    public static TheoryData<string> Kinds => ["sh", "hyperband", "asha"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Run_SameSeed_SameProposals(string kind)
    {
        var first = new MultiFidelityStudy(Create(kind), seed: 11);
        var second = new MultiFidelityStudy(Create(kind), seed: 11);
        var other = new MultiFidelityStudy(Create(kind), seed: 12);

        first.Run(Objective, trials: 40, workers: 3);
        second.Run(Objective, trials: 40, workers: 3);
        other.Run(Objective, trials: 40, workers: 3);

        Assert.Equal(40, first.Proposed.Count);
        Assert.Equal(Describe(first), Describe(second));
        Assert.NotEqual(Describe(first), Describe(other));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Propose_RebuiltByReplayingUpdates_SameNextProposal(string kind)
    {
        var study = new MultiFidelityStudy(Create(kind), seed: 5);
        int compared = 0;
        for (int trials = 1; trials <= 45; trials++)
        {
            study.Run(Objective, trials, workers: 3, drain: false);

            // A restarted lead: a new tuner, every finished trial replayed in number order, pending ones in the context.
            ITuner rebuilt = Create(kind);
            foreach (TrialResult result in study.Finished.OrderBy(r => r.Number))
            {
                rebuilt.Update(result);
            }

            Proposal? expected = study.Tuner.Propose(study.Context());
            Proposal? actual = rebuilt.Propose(study.Context());
            Assert.Equal(expected, actual);
            compared += expected is null ? 0 : 1;
        }

        List<int> updateOrder = [.. study.Finished.Select(r => r.Number)];
        Assert.False(updateOrder.SequenceEqual(updateOrder.Order()), "updates arrived in number order, so the replay proves little");
        Assert.True(compared > 30);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Run_SyntheticObjective_CostsLessThanFullFidelityAndFindsAComparableConfig(string kind)
    {
        var study = new MultiFidelityStudy(Create(kind), seed: 3);
        study.Run(Objective, trials: 60, workers: 2);

        List<Candidate> sampled = [.. study.Proposed.Select(p => p.Candidate).DistinctBy(c => c.Key)];
        double spent = study.Finished.Sum(r => r.CostSeconds);
        double fullSpent = sampled.Sum(Objective.FullCost);
        double bestFound = study.Finished.Min(Objective.Censored.Score);
        double bestFull = sampled.Min(Objective.FullScore);

        Assert.True(sampled.Count >= 30, $"only {sampled.Count} configurations were sampled");
        Assert.True(spent < 0.6 * fullSpent, $"spent {spent:F0} s, running every configuration at full fidelity costs {fullSpent:F0} s");
        Assert.True(bestFull < 1, "no sampled configuration reaches the target; the comparison is empty");
        Assert.True(bestFound <= bestFull * 1.1, $"best score found {bestFound:F3}, best among the sampled configurations {bestFull:F3}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Run_Always_NeverRepeatsAConfigurationAtTheSameFidelity(string kind)
    {
        var study = new MultiFidelityStudy(Create(kind), seed: 9);
        study.Run(Objective, trials: 80, workers: 3);

        var repeats = study.Proposed.GroupBy(p => (p.Candidate.Key, p.Fidelity)).Where(g => g.Count() > 1).ToList();

        Assert.Empty(repeats);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Run_ReachedTrials_AreNeverProposedAgain(string kind)
    {
        var study = new MultiFidelityStudy(Create(kind), seed: 4);
        study.Run(Objective, trials: 80, workers: 2);

        List<TrialResult> reached = [.. study.Finished.Where(r => r.Reached)];

        Assert.NotEmpty(reached);
        Assert.All(reached, r => Assert.DoesNotContain(study.Proposed.Skip(r.Number + 1), p => p.Candidate.Key == r.Proposal.Candidate.Key));
    }

    [Fact]
    public void Constructors_NullObjective_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new SuccessiveHalvingTuner(null!));
        Assert.Throws<ArgumentNullException>(() => new HyperbandTuner(null!));
        Assert.Throws<ArgumentNullException>(() => new AshaTuner(null!));
    }

    private static ITuner Create(string kind)
    {
        CensoredObjective objective = Objective.Censored;
        return kind switch
        {
            "sh" => new SuccessiveHalvingTuner(objective),
            "hyperband" => new HyperbandTuner(objective),
            "asha" => new AshaTuner(objective),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown tuner"),
        };
    }

    private static List<string> Describe(MultiFidelityStudy study) =>
        [.. study.Proposed.Select(p => $"{p.Candidate.Key} @{p.Fidelity:R} {p.Tag}")];
}
