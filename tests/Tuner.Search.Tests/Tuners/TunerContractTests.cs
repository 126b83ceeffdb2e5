using Tuner.Search.Tuners;
using Tuner.Search.Tuners.CostFrugal;
using Tuner.Search.Tuners.Grid;
using Tuner.Search.Tuners.MultiFidelity;
using Tuner.Search.Tuners.RandomSearch;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Tests.Tuners;

/// <summary>The contract every tuner keeps, run over all seven (each also has its own tests in its folder).</summary>
public sealed class TunerContractTests
{
    public static TheoryData<string> Tuners => ["grid", "random", "smac", "cfo", "sh", "hyperband", "asha"];

    private static ITuner Make(string name) => name switch
    {
        "grid" => new GridTuner(pointsPerRange: 2),
        "random" => new RandomTuner(),
        "smac" => new SmacTuner(SyntheticStudy.Objective, start: SyntheticStudy.Baseline),
        "cfo" => new CostFrugalTuner(SyntheticStudy.Objective, SyntheticStudy.Baseline),
        "sh" => new SuccessiveHalvingTuner(SyntheticStudy.Objective),
        "hyperband" => new HyperbandTuner(SyntheticStudy.Objective),
        "asha" => new AshaTuner(SyntheticStudy.Objective),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Tuners))]
    public void Propose_SameSeedAndHistory_GivesTheSameTrials(string tuner) =>
        TunerChecks.SameSeedGivesSameProposals(() => Make(tuner), seed: 5, trials: 25);

    [Theory]
    [MemberData(nameof(Tuners))]
    public void Update_ReplayingTheHistoryIntoANewTuner_RebuildsItsState(string tuner)
    {
        List<TrialResult> history = SyntheticStudy.Run(Make(tuner), seed: 9, trials: 20);
        ITuner lived = Make(tuner);
        ITuner rebuilt = Make(tuner);
        foreach (TrialResult result in history.OrderBy(r => r.Number))
        {
            lived.Update(result);
            rebuilt.Update(result);
        }

        for (int number = history.Count; number < history.Count + 5; number++)
        {
            Proposal? a = lived.Propose(ProposalContext.For(SyntheticStudy.Space, 9, number));
            Proposal? b = rebuilt.Propose(ProposalContext.For(SyntheticStudy.Space, 9, number));
            Assert.Equal(a is null ? null : TunerChecks.Describe(a), b is null ? null : TunerChecks.Describe(b));
            if (a is null)
            {
                break;
            }

            TrialResult result = SyntheticStudy.Evaluate(number, a);
            lived.Update(result);
            rebuilt.Update(result);
        }
    }

    [Theory]
    [MemberData(nameof(Tuners))]
    public void Propose_ManyTrials_NeverAConflictingCombinationNorTheSameTrialTwice(string tuner)
    {
        List<TrialResult> results = SyntheticStudy.Run(Make(tuner), seed: 2, trials: 60);

        Assert.NotEmpty(results);
        TunerChecks.NoConflictingPair(results);
        var trials = results.Select(r => (r.Proposal.Candidate.Key, r.Proposal.Fidelity)).ToList();
        Assert.Equal(trials.Count, trials.Distinct().Count());
    }
}
