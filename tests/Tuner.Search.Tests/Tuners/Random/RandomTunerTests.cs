using Tuner.Search.Tuners;
using Tuner.Search.Tuners.RandomSearch;

namespace Tuner.Search.Tests.Tuners.RandomSearch;

public sealed class RandomTunerTests
{
    [Fact]
    public void Propose_SameSeedAndHistory_GivesIdenticalProposals() =>
        TunerChecks.SameSeedGivesSameProposals(() => new RandomTuner(), seed: 11, trials: 40, workers: 3);

    [Fact]
    public void Propose_DifferentSeeds_GiveDifferentProposals()
    {
        List<string> a = TunerChecks.Describe(SyntheticStudy.Run(new RandomTuner(), 1, 10));
        List<string> b = TunerChecks.Describe(SyntheticStudy.Run(new RandomTuner(), 2, 10));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Propose_AfterReplayingHistory_EqualsTunerThatLivedThroughIt() =>
        TunerChecks.ReplayedTunerProposesLikeTheOriginal(() => new RandomTuner(), seed: 5, trials: 25);

    [Fact]
    public void Propose_ManyTrials_NeverProposesConflictingPairOrRepeats()
    {
        List<TrialResult> results = SyntheticStudy.Run(new RandomTuner(), 3, 300, workers: 4);
        Assert.Equal(300, results.Count);
        TunerChecks.NoConflictingPair(results);
        TunerChecks.NoRepeats(results);
        Assert.Contains(results, r => r.Proposal.Candidate.TechniqueNames.Contains("b"));
        Assert.Contains(results, r => r.Proposal.Candidate.TechniqueNames.Contains("d"));
    }

    [Fact]
    public void Propose_AfterFailedTrial_DoesNotRepeatConfiguration() =>
        TunerChecks.FailedConfigurationIsNeverRepeated(new RandomTuner(), TunerChecks.TinyWith(a: true, b: false));

    [Fact]
    public void Propose_TinySpaceExhausted_ReturnsNull()
    {
        List<TrialResult> results = SyntheticStudy.Run(new RandomTuner(), 9, 50, space: TunerChecks.Tiny);
        Assert.Equal(4, results.Count);
        TunerChecks.NoRepeats(results);
    }

    [Fact]
    public void Propose_PendingConfigurations_AreSkipped()
    {
        var tuner = new RandomTuner();
        Proposal[] pending = [new(TunerChecks.TinyWith(false, false)), new(TunerChecks.TinyWith(true, false)), new(TunerChecks.TinyWith(false, true))];
        for (int number = 0; number < 10; number++)
        {
            Proposal? proposal = tuner.Propose(ProposalContext.For(TunerChecks.Tiny, 4, number, pending));
            Assert.NotNull(proposal);
            Assert.Equal(TunerChecks.TinyWith(true, true).Key, proposal.Candidate.Key);
            Assert.Equal(1.0, proposal.Fidelity);
        }
    }

    [Fact]
    public void Constructor_NoDraws_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomTuner(0));
}
