using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.MultiFidelity;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

public sealed class SuccessiveHalvingTunerTests
{
    private static readonly MultiFidelityObjective Objective = new();

    // Rung-0 metrics of trials 0..8: the top third are trials 3 (0.85), 6 (0.82) and 1 (0.80), in that order.
    private static readonly double[] FirstRungMetrics = [0.5, 0.8, 0.3, 0.85, 0.2, 0.6, 0.82, 0.1, 0.4];

    [Fact]
    public void Plan_Defaults_NineThreeOne()
    {
        var tuner = new SuccessiveHalvingTuner(Objective.Censored);

        Assert.Equal(0, tuner.Plan.StartRung);
        Assert.Equal([9, 3, 1], tuner.Plan.Configs);
    }

    [Fact]
    public void Constructor_FewerConfigsThanEtaPowerR_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingTuner(Objective.Censored, configsPerBracket: 8));
    }

    [Fact]
    public void Propose_FirstRung_NineDistinctConfigsAtLowestFidelity()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));

        List<Proposal> first = study.AskAll();

        Assert.Equal(9, first.Count);
        Assert.Equal(9, first.Select(p => p.Candidate.Key).Distinct().Count());
        Assert.All(first, p => Assert.Equal(1.0 / 9, p.Fidelity, 12));
        Assert.All(first, p => Assert.Equal("b0/r0", p.Tag));
    }

    [Fact]
    public void Propose_RungComplete_PromotesExactlyTheTopThirdBestFirst()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));
        study.AskAll();
        for (int i = 0; i < 9; i++)
        {
            study.Miss(i, FirstRungMetrics[i]);
        }

        List<Proposal> promoted = study.AskAll();

        Assert.Equal([Key(study, 3), Key(study, 6), Key(study, 1)], promoted.Select(p => p.Candidate.Key));
        Assert.All(promoted, p => Assert.Equal(1.0 / 3, p.Fidelity, 12));
        Assert.All(promoted, p => Assert.Equal("b0/r1", p.Tag));
    }

    [Fact]
    public void Propose_SecondRungComplete_PromotesItsBestToFullFidelityThenStartsANewBracket()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));
        study.AskAll();
        for (int i = 0; i < 9; i++)
        {
            study.Miss(i, FirstRungMetrics[i]);
        }

        study.AskAll(); // trials 9, 10, 11: configs of trials 3, 6, 1
        study.Miss(9, 0.6);
        study.Miss(10, 0.88);
        study.Miss(11, 0.7);
        List<Proposal> top = study.AskAll();
        study.Miss(12, 0.89);
        Proposal? next = study.Ask();

        Proposal full = Assert.Single(top);
        Assert.Equal(Key(study, 6), full.Candidate.Key);
        Assert.Equal(1.0, full.Fidelity);
        Assert.Equal("b0/r2", full.Tag);
        Assert.NotNull(next);
        Assert.Equal("b1/r0", next.Tag);
        Assert.Equal(1.0 / 9, next.Fidelity, 12);
        Assert.DoesNotContain(next.Candidate.Key, study.Proposed.Take(9).Select(p => p.Candidate.Key));
    }

    [Fact]
    public void Propose_RungTrialsPending_ReturnsNullUntilAllFinish()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));
        study.AskAll();

        Proposal? whileAllPending = study.Ask();
        for (int i = 0; i < 8; i++)
        {
            study.Miss(i, FirstRungMetrics[i]);
        }

        Proposal? whileOnePending = study.Ask();
        study.Miss(8, FirstRungMetrics[8]);
        Proposal? afterAll = study.Ask();

        Assert.Null(whileAllPending);
        Assert.Null(whileOnePending);
        Assert.NotNull(afterAll);
        Assert.Equal("b0/r1", afterAll.Tag);
        Assert.Equal(Key(study, 3), afterAll.Candidate.Key);
    }

    [Fact]
    public void Propose_PromotedTrialsPending_ReturnsNullUntilTheyFinish()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));
        study.AskAll();
        for (int i = 0; i < 9; i++)
        {
            study.Miss(i, FirstRungMetrics[i]);
        }

        study.AskAll();
        study.Miss(9, 0.6);
        study.Miss(10, 0.88);

        Assert.Null(study.Ask());
        study.Miss(11, 0.7);
        Assert.Equal("b0/r2", study.Ask()?.Tag);
    }

    [Fact]
    public void Propose_ReachedAtLowestRung_NeverProposedAgainAndTakesAPromotionSlot()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));
        study.AskAll();
        for (int i = 0; i < 9; i++)
        {
            if (i == 4)
            {
                study.Reach(i, 10);
            }
            else
            {
                study.Miss(i, FirstRungMetrics[i]);
            }
        }

        List<Proposal> secondRung = study.AskAll();
        foreach (int number in study.PendingNumbers.ToList())
        {
            study.Miss(number, 0.7);
        }

        // Rung 1 holds the two promoted configurations and the reached one; the reached one is the best, so the
        // bracket promotes nothing more and a new bracket starts.
        List<Proposal> after = study.AskAll(20);

        string reached = Key(study, 4);
        Assert.Equal([Key(study, 3), Key(study, 6)], secondRung.Select(p => p.Candidate.Key));
        Assert.All(after, p => Assert.Equal("b1/r0", p.Tag));
        Assert.DoesNotContain(reached, study.Proposed.Skip(9).Select(p => p.Candidate.Key));
    }

    [Fact]
    public void Propose_DivergedTrialInTheTopThird_IsNotPromoted()
    {
        var study = new MultiFidelityStudy(new SuccessiveHalvingTuner(Objective.Censored));
        study.AskAll();
        for (int i = 0; i < 9; i++)
        {
            if (i < 7)
            {
                study.Diverge(i);
            }
            else
            {
                study.Miss(i, FirstRungMetrics[i]);
            }
        }

        List<Proposal> promoted = study.AskAll();

        Assert.Equal([Key(study, 8), Key(study, 7)], promoted.Select(p => p.Candidate.Key));
    }

    [Fact]
    public void Propose_SamplerHasFewerConfigsThanABracket_RunsAShortBracketThenReturnsNull()
    {
        Candidate[] only = [.. MultiFidelityObjective.Space.Grid(2).Take(4)];
        var tuner = new SuccessiveHalvingTuner(Objective.Censored, sampler: c => only[c.Random.Next(only.Length)]);
        var study = new MultiFidelityStudy(tuner);

        study.Run(Objective, trials: 100);

        Assert.Equal(6, study.Proposed.Count);
        Assert.Equal(4, study.Proposed.Count(p => p.Tag == "b0/r0"));
        Assert.Equal(1, study.Proposed.Count(p => p.Tag == "b0/r1"));
        Assert.Equal(1, study.Proposed.Count(p => p.Tag == "b0/r2"));
        Assert.Null(study.Ask());
    }

    private static string Key(MultiFidelityStudy study, int number) => study.Proposed[number].Candidate.Key;
}
