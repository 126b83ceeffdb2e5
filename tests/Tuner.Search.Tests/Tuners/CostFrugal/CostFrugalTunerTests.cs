using Tuner.Core.Trials;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.CostFrugal;

namespace Tuner.Search.Tests.Tuners.CostFrugal;

public sealed class CostFrugalTunerTests
{
    private static CostFrugalTuner Make() => new(SyntheticStudy.Objective, SyntheticStudy.Baseline);

    [Fact]
    public void Propose_First_IsTheGivenStart()
    {
        Proposal? first = Make().Propose(ProposalContext.For(SyntheticStudy.Space, 1, 0));
        Assert.Equal(SyntheticStudy.Baseline.Key, first?.Candidate.Key);
        Assert.Equal(1.0, first?.Fidelity);
    }

    [Fact]
    public void Propose_NoStart_BeginsAtCentreWithTechniquesOff()
    {
        Proposal? first = new CostFrugalTuner(SyntheticStudy.Objective).Propose(ProposalContext.For(SyntheticStudy.Space, 1, 0));
        Assert.NotNull(first);
        Assert.Empty(first.Candidate.TechniqueNames);
        Assert.Equal(Math.Sqrt(0.001 * 1.0), first.Candidate.Configuration.LearningRate, 3); // geometric centre of the log range
        Assert.Equal(256, first.Candidate.Configuration.BatchSize); // the bin holding 0.5
    }

    [Fact]
    public void Update_FromStart_IncumbentImprovesMonotonicallyAndBeatsTheStart()
    {
        CostFrugalTuner tuner = Make();
        var scores = new List<double>();
        double startScore = double.NaN;
        for (int number = 0; number < 40; number++)
        {
            Proposal? proposal = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 3, number));
            Assert.NotNull(proposal);
            TrialResult result = SyntheticStudy.Evaluate(number, proposal);
            if (number == 0)
            {
                startScore = SyntheticStudy.Objective.Score(result);
            }

            tuner.Update(result);
            Assert.Equal(0, tuner.Restarts);
            scores.Add(tuner.IncumbentScore);
        }

        Assert.Equal(startScore, scores[0]);
        for (int i = 1; i < scores.Count; i++)
        {
            Assert.True(scores[i] <= scores[i - 1], $"incumbent score rose at trial {i}: {scores[i - 1]} -> {scores[i]}");
        }

        Assert.True(scores[^1] < 0.8 * startScore, $"start {startScore:F3}, end {scores[^1]:F3}");
    }

    [Fact]
    public void Propose_SameSeedAndHistory_GivesIdenticalProposals() =>
        TunerChecks.SameSeedGivesSameProposals(Make, seed: 17, trials: 60, workers: 2);

    [Fact]
    public void Propose_AfterReplayingHistory_EqualsTunerThatLivedThroughIt()
    {
        TunerChecks.ReplayedTunerProposesLikeTheOriginal(Make, seed: 4, trials: 30, lookahead: 6);
        TunerChecks.ReplayedTunerProposesLikeTheOriginal(() => new CostFrugalTuner(SyntheticStudy.Objective, patience: 2, minimumStep: 0.1), seed: 4, trials: 30, lookahead: 6, workers: 3);
    }

    [Fact]
    public void Propose_ManyTrials_NeverProposesConflictingPairOrRepeats()
    {
        List<TrialResult> results = SyntheticStudy.Run(new CostFrugalTuner(SyntheticStudy.Objective, patience: 3), 6, 150, workers: 2);
        Assert.Equal(150, results.Count);
        TunerChecks.NoConflictingPair(results);
        TunerChecks.NoRepeats(results);
    }

    [Fact]
    public void Propose_AfterFailedTrial_DoesNotRepeatConfiguration() =>
        TunerChecks.FailedConfigurationIsNeverRepeated(new CostFrugalTuner(SyntheticStudy.Objective), TunerChecks.TinyWith(a: false, b: false));

    [Fact]
    public void Update_NonImprovingPlusMove_ProposesTheMirror()
    {
        CostFrugalTuner tuner = Make();
        tuner.Update(SyntheticStudy.Result(0, SyntheticStudy.Baseline, TrialStatus.Reached, seconds: 100));
        Proposal? plus = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 1));
        Assert.NotNull(plus);
        Assert.StartsWith("cfo:+:", plus.Tag, StringComparison.Ordinal);
        tuner.Update(SyntheticStudy.Result(1, plus, TrialStatus.NotReached));
        Proposal? minus = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 2));
        Assert.NotNull(minus);
        Assert.Equal("cfo:-:" + plus.Tag![6..], minus.Tag);
        Assert.NotEqual(plus.Candidate.Key, minus.Candidate.Key);
    }

    [Fact]
    public void Update_ImprovingMove_BecomesIncumbent()
    {
        CostFrugalTuner tuner = Make();
        tuner.Update(SyntheticStudy.Result(0, SyntheticStudy.Baseline, TrialStatus.NotReached));
        Proposal? move = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 1));
        Assert.NotNull(move);
        tuner.Update(SyntheticStudy.Result(1, move, TrialStatus.Reached, seconds: 300));
        Assert.Equal(move.Candidate.Key, tuner.Incumbent?.Key);
        Assert.Equal(0.3, tuner.IncumbentScore, 12);
    }

    [Fact]
    public void Update_RepeatedFailures_ShrinkStepThenRestart()
    {
        var tuner = new CostFrugalTuner(SyntheticStudy.Objective, SyntheticStudy.Baseline, initialStep: 0.2, minimumStep: 0.08, patience: 2);
        tuner.Update(SyntheticStudy.Result(0, SyntheticStudy.Baseline, TrialStatus.Reached, seconds: 100));
        int number = 1;
        void FailNext()
        {
            Proposal proposal = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, number))!;
            tuner.Update(SyntheticStudy.Result(number++, proposal, TrialStatus.NotReached));
        }

        FailNext();
        Assert.Equal(0.2, tuner.StepSize);
        FailNext();
        Assert.Equal(0.1, tuner.StepSize, 12);
        FailNext();
        FailNext();
        Assert.Equal(0.05, tuner.StepSize, 12);

        Proposal? restart = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, number));
        Assert.Equal("cfo:restart", restart?.Tag);
        tuner.Update(SyntheticStudy.Result(number, restart!, TrialStatus.NotReached));
        Assert.Equal(1, tuner.Restarts);
        Assert.Equal(0.2, tuner.StepSize);
        Assert.Equal(restart!.Candidate.Key, tuner.Incumbent?.Key);
    }

    [Fact]
    public void Update_LowFidelityResult_DoesNotMoveTheSearch()
    {
        CostFrugalTuner tuner = Make();
        Candidate other = SyntheticStudy.Space.Sample(new System.Random(3));
        tuner.Update(SyntheticStudy.Result(0, new Proposal(other, 0.2), TrialStatus.Pruned));
        Assert.Null(tuner.Incumbent);
        Assert.Equal(SyntheticStudy.Baseline.Key, tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 1))?.Candidate.Key);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CostFrugalTuner(SyntheticStudy.Objective, initialStep: 0.01, minimumStep: 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CostFrugalTuner(SyntheticStudy.Objective, patience: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CostFrugalTuner(SyntheticStudy.Objective, shrink: 1.0));
    }
}
