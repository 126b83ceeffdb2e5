using Tuner.Core.Trials;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.RandomSearch;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Tests.Tuners.Smac;

public sealed class SmacTunerTests
{
    private static SmacTuner Make() => new(SyntheticStudy.Objective);

    [Fact]
    public void Propose_SameSeedAndHistory_GivesIdenticalProposals() =>
        TunerChecks.SameSeedGivesSameProposals(Make, seed: 21, trials: 14, workers: 2);

    [Fact]
    public void Propose_AfterReplayingHistory_EqualsTunerThatLivedThroughIt() =>
        TunerChecks.ReplayedTunerProposesLikeTheOriginal(Make, seed: 8, trials: 10, lookahead: 3);

    [Fact]
    public void Propose_ManyTrials_NeverProposesConflictingPairOrRepeats()
    {
        List<TrialResult> results = SyntheticStudy.Run(Make(), 4, 40, workers: 2);
        Assert.Equal(40, results.Count);
        TunerChecks.NoConflictingPair(results);
        TunerChecks.NoRepeats(results);
    }

    [Fact]
    public void Propose_AfterInitialTrials_UsesTheSurrogate()
    {
        List<TrialResult> results = SyntheticStudy.Run(new SmacTuner(SyntheticStudy.Objective, initialTrials: 4, start: SyntheticStudy.Baseline), 2, 10);
        Assert.Equal(SyntheticStudy.Baseline.Key, results[0].Proposal.Candidate.Key);
        Assert.All(results.Take(4), r => Assert.Equal("smac:initial", r.Proposal.Tag));
        Assert.All(results.Skip(4), r => Assert.Equal("smac:model", r.Proposal.Tag));
        Assert.All(results, r => Assert.Equal(1.0, r.Proposal.Fidelity));
    }

    [Fact]
    public void Propose_FromTwoResults_FitsWithoutThrowing()
    {
        var tuner = new SmacTuner(SyntheticStudy.Objective, initialTrials: 2);
        tuner.Update(SyntheticStudy.Evaluate(0, new Proposal(SyntheticStudy.Baseline)));
        tuner.Update(SyntheticStudy.Evaluate(1, new Proposal(SyntheticStudy.Space.Sample(new System.Random(1)))));
        Proposal? proposal = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 2));
        Assert.NotNull(proposal);
        Assert.Equal("smac:model", proposal.Tag);
    }

    [Fact]
    public void Propose_OnlyLowFidelityResults_StaysInitial()
    {
        var tuner = new SmacTuner(SyntheticStudy.Objective, initialTrials: 2);
        for (int i = 0; i < 5; i++)
        {
            Proposal low = new(SyntheticStudy.Space.Sample(new System.Random(i)), 0.1);
            tuner.Update(SyntheticStudy.Evaluate(i, low));
        }

        Assert.Equal("smac:initial", tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 5))?.Tag);
    }

    [Fact]
    public void Propose_AfterFailedTrial_DoesNotRepeatConfiguration() =>
        TunerChecks.FailedConfigurationIsNeverRepeated(new SmacTuner(SyntheticStudy.Objective, initialTrials: 2), TunerChecks.TinyWith(a: false, b: false));

    [Fact]
    public void Propose_SyntheticStudy_BeatsRandomSearch()
    {
        const int Trials = 30;
        long[] seeds = [1, 2, 3, 4, 5];
        double smac = Median([.. seeds.Select(s => SyntheticStudy.BestScore(SyntheticStudy.Run(Make(), s, Trials)))]);
        double random = Median([.. seeds.Select(s => SyntheticStudy.BestScore(SyntheticStudy.Run(new RandomTuner(), s, Trials)))]);
        Assert.True(smac < random, $"median best score: SMAC {smac:F4}, random {random:F4}");
    }

    [Fact]
    public void RankLabels_ScaleRanksToUnitInterval_TiesShareTheLowerRank()
    {
        List<double> labels = SmacTuner.RankLabels([5.0, 1.0, 1e9, 5.0, 2.0]);
        Assert.Equal([0.5, 0.0, 1.0, 0.5, 0.25], labels);
        Assert.Equal([0.0], SmacTuner.RankLabels([3.0]));
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new SmacTuner(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmacTuner(SyntheticStudy.Objective, initialTrials: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmacTuner(SyntheticStudy.Objective, topK: 0));
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
