using Tuner.Search.Tuners;
using Tuner.Search.Tuners.MultiFidelity;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

public sealed class AshaTunerTests
{
    private static readonly MultiFidelityObjective Objective = new();

    [Fact]
    public void Propose_FewerThanEtaResultsInTheRung_StartsNewConfigs()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        study.Ask();
        study.Ask();
        study.Miss(0, 0.5);
        study.Miss(1, 0.7);

        Proposal? third = study.Ask();

        Assert.NotNull(third);
        Assert.Equal("r0", third.Tag);
        Assert.Equal(1.0 / 9, third.Fidelity, 12);
        Assert.Equal(3, study.Proposed.Select(p => p.Candidate.Key).Distinct().Count());
    }

    [Fact]
    public void Propose_RungHasEtaResults_PromotesTheBest()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        study.AskAll(3);
        study.Miss(0, 0.5);
        study.Miss(1, 0.7);
        study.Miss(2, 0.6);

        Proposal? promotion = study.Ask();

        Assert.NotNull(promotion);
        Assert.Equal(study.Proposed[1].Candidate.Key, promotion.Candidate.Key);
        Assert.Equal(1.0 / 3, promotion.Fidelity, 12);
        Assert.Equal("r1", promotion.Tag);
    }

    [Fact]
    public void Propose_RungTrialsPending_DoesNotWait()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));

        List<Proposal> proposals = study.AskAll(20);

        Assert.Equal(20, proposals.Count);
        Assert.All(proposals, p => Assert.Equal("r0", p.Tag));
    }

    [Fact]
    public void Propose_PromotionPendingOrFinished_IsNotPromotedAgain()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        study.AskAll(3);
        study.Miss(0, 0.5);
        study.Miss(1, 0.7);
        study.Miss(2, 0.6);
        Proposal? promotion = study.Ask();

        Proposal? whilePending = study.Ask();
        study.Miss(3, 0.8);
        Proposal? afterFinished = study.Ask();

        Assert.Equal("r1", promotion?.Tag);
        Assert.Equal("r0", whilePending?.Tag);
        Assert.Equal("r0", afterFinished?.Tag);
    }

    [Fact]
    public void Propose_SixResults_PromotesTheSecondBestToo()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        double[] metrics = [0.5, 0.7, 0.6, 0.2, 0.65, 0.1];
        study.AskAll(3);
        for (int i = 0; i < 3; i++)
        {
            study.Miss(i, metrics[i]);
        }

        study.Ask(); // promotes trial 1
        study.AskAll(3); // trials 4..6 are new configs while the promotion runs
        study.Miss(4, metrics[3]);
        study.Miss(5, metrics[4]);
        study.Miss(6, metrics[5]);

        Proposal? second = study.Ask();

        Assert.NotNull(second);
        Assert.Equal("r1", second.Tag);
        Assert.Equal(study.Proposed[5].Candidate.Key, second.Candidate.Key);
    }

    [Fact]
    public void Propose_SecondRungHasEtaResults_PromotesItsBestToFullFidelity()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        study.AskAll(3);
        study.Miss(0, 0.5);
        study.Miss(1, 0.7);
        study.Miss(2, 0.6);
        Assert.Equal("r1", study.Ask()?.Tag); // trial 3: config of trial 1
        study.Miss(3, 0.75);
        study.AskAll(3); // trials 4..6
        study.Miss(4, 0.8);
        study.Miss(5, 0.3);
        study.Miss(6, 0.4);
        Assert.Equal("r1", study.Ask()?.Tag); // trial 7: config of trial 4
        study.Miss(7, 0.85);
        study.AskAll(3); // trials 8..10
        study.Miss(8, 0.65);
        study.Miss(9, 0.2);
        study.Miss(10, 0.1);
        Assert.Equal("r1", study.Ask()?.Tag); // trial 11: config of trial 8
        study.Miss(11, 0.6);

        Proposal? full = study.Ask();
        Proposal? after = study.Ask();

        Assert.NotNull(full);
        Assert.Equal("r2", full.Tag);
        Assert.Equal(1.0, full.Fidelity);
        Assert.Equal(study.Proposed[4].Candidate.Key, full.Candidate.Key);
        Assert.Equal("r0", after?.Tag);
    }

    [Fact]
    public void Run_SequentialTrials_FillsTheRungsLikeAPyramid()
    {
        // Nothing reaches the target (a reached trial is final and never promoted), so rungs fill by ranking alone.
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        while (study.NextNumber < 40)
        {
            Assert.NotNull(study.Ask());
            int number = study.NextNumber - 1;
            study.Miss(number, 0.8 * study.Proposed[number].Candidate.Unit[1]);
        }

        var byTag = study.Proposed.GroupBy(p => p.Tag).ToDictionary(g => g.Key!, g => g.Count());

        Assert.True(byTag.GetValueOrDefault("r2") >= 1, "nothing ran at full fidelity");
        Assert.True(byTag["r0"] > byTag["r1"]);
        Assert.True(byTag["r1"] >= byTag["r2"]);
        Assert.All(study.Proposed.Where(p => p.Tag == "r2"), p => Assert.Equal(1.0, p.Fidelity));
        Assert.All(
            study.Proposed.Where(p => p.Tag == "r2"),
            p => Assert.Contains(study.Proposed.Where(q => q.Tag == "r1"), q => q.Candidate.Key == p.Candidate.Key));
    }

    [Fact]
    public void Propose_ReachedTrial_IsNotPromotedAndFillsATopSlot()
    {
        var study = new MultiFidelityStudy(new AshaTuner(Objective.Censored));
        study.AskAll(3);
        study.Reach(0, 8);
        study.Miss(1, 0.7);
        study.Miss(2, 0.6);

        Proposal? next = study.Ask();
        study.Run(Objective, trials: 40);

        string reached = study.Proposed[0].Candidate.Key;
        Assert.Equal("r0", next?.Tag);
        Assert.Single(study.Proposed, p => p.Candidate.Key == reached);
    }
}
