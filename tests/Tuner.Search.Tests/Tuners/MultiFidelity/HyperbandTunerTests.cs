using Tuner.Search.Tuners;
using Tuner.Search.Tuners.MultiFidelity;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

public sealed class HyperbandTunerTests
{
    private static readonly MultiFidelityObjective Objective = new();

    [Fact]
    public void Schedule_EtaThreeSmaxThree_MatchesThePaperTable()
    {
        // Li et al. 2018, R = 27, eta = 3: n_i per bracket s = 3..0, starting at r = R * eta^-s.
        IReadOnlyList<BracketPlan> brackets = HyperbandTuner.Schedule(new Rungs(3, 1.0 / 27));

        Assert.Equal(4, brackets.Count);
        Assert.Equal([27, 9, 3, 1], brackets[0].Configs);
        Assert.Equal([12, 4, 1], brackets[1].Configs);
        Assert.Equal([6, 2], brackets[2].Configs);
        Assert.Equal([4], brackets[3].Configs);
        Assert.Equal([0, 1, 2, 3], brackets.Select(b => b.StartRung));
        Assert.Equal([3, 2, 1, 0], brackets.Select(b => b.S));
    }

    [Fact]
    public void Schedule_EtaThreeSmaxFour_MatchesThePaperTable()
    {
        // Li et al. 2018, Table 1 (R = 81, eta = 3).
        IReadOnlyList<BracketPlan> brackets = HyperbandTuner.Schedule(new Rungs(3, 1.0 / 81));

        Assert.Equal([81, 27, 9, 3, 1], brackets[0].Configs);
        Assert.Equal([34, 11, 3, 1], brackets[1].Configs);
        Assert.Equal([15, 5, 1], brackets[2].Configs);
        Assert.Equal([8, 2], brackets[3].Configs);
        Assert.Equal([5], brackets[4].Configs);
    }

    [Theory]
    [InlineData(1.0 / 9)]
    [InlineData(1.0 / 27)]
    public void Propose_OneCycleWithoutReaching_RunsEachBracketsConfigsAtItsFidelities(double minFidelity)
    {
        var tuner = new HyperbandTuner(Objective.Censored, 3, minFidelity);
        var study = new MultiFidelityStudy(tuner);
        int cycle = tuner.Brackets.Sum(b => b.Configs.Sum());

        // Every trial misses the target with a metric fixed by its configuration, so rankings agree across rungs.
        while (study.NextNumber < cycle)
        {
            Assert.NotNull(study.Ask());
            int number = study.NextNumber - 1;
            study.Miss(number, 0.8 * study.Proposed[number].Candidate.Unit[1]);
        }

        Proposal? next = study.Ask();

        for (int b = 0; b < tuner.Brackets.Count; b++)
        {
            BracketPlan plan = tuner.Brackets[b];
            for (int i = 0; i <= plan.S; i++)
            {
                int rung = plan.StartRung + i;
                var atRung = study.Proposed.Where(p => p.Tag == $"b{b}/r{rung}").ToList();
                Assert.Equal(plan.Configs[i], atRung.Count);
                Assert.All(atRung, p => Assert.Equal(tuner.Rungs.Fidelity(rung), p.Fidelity, 12));
            }
        }

        Assert.NotNull(next);
        Assert.Equal($"b{tuner.Brackets.Count}/r0", next.Tag);
    }

    [Fact]
    public void Propose_SmallestBracket_StartsItsConfigsAtFullFidelity()
    {
        var tuner = new HyperbandTuner(Objective.Censored);
        var study = new MultiFidelityStudy(tuner);
        study.Run(Objective, trials: 22);

        List<Proposal> last = [.. study.Proposed.Where(p => p.Tag == "b2/r2")];

        Assert.Equal(3, last.Count);
        Assert.All(last, p => Assert.Equal(1.0, p.Fidelity));
        Assert.Equal(3, last.Select(p => p.Candidate.Key).Distinct().Count());
    }

    [Fact]
    public void Propose_RungTrialsPending_ReturnsNullThenContinues()
    {
        var study = new MultiFidelityStudy(new HyperbandTuner(Objective.Censored));
        List<Proposal> first = study.AskAll();
        Proposal? waiting = study.Ask();
        for (int i = 0; i < first.Count; i++)
        {
            study.Miss(i, 0.1 * i);
        }

        Proposal? next = study.Ask();

        Assert.Equal(9, first.Count);
        Assert.Null(waiting);
        Assert.NotNull(next);
        Assert.Equal("b0/r1", next.Tag);
        Assert.Equal(study.Proposed[8].Candidate.Key, next.Candidate.Key);
    }

    [Fact]
    public void Propose_ReachedTrial_IsNeverProposedAtAHigherRung()
    {
        var study = new MultiFidelityStudy(new HyperbandTuner(Objective.Censored));
        study.AskAll();
        study.Reach(0, 5);
        for (int i = 1; i < 9; i++)
        {
            study.Miss(i, 0.1 * i);
        }

        study.Run(Objective, trials: 60);

        string reached = study.Proposed[0].Candidate.Key;
        Assert.Single(study.Proposed, p => p.Candidate.Key == reached);
        Assert.Equal(2, study.Proposed.Count(p => p.Tag == "b0/r1"));
    }
}
