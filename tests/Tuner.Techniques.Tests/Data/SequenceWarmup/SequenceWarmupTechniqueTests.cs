using Tuner.Core.Trials;
using Tuner.Techniques.Data.SequenceWarmup;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.SequenceWarmup;

public sealed class SequenceWarmupTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Theory]
    [InlineData(0.0, 8)]
    [InlineData(0.1, 32)] // 8 + 120 x 0.1 / 0.5 = 32, a multiple of 8
    [InlineData(0.12, 32)] // 36.8 rounds down to 32
    [InlineData(0.25, 64)] // 8 + 60 = 68 rounds down to 64
    [InlineData(0.5, 128)]
    [InlineData(0.9, 128)]
    public void Length_GrowsLinearlyInMultiplesOfEight(double fraction, long expected)
    {
        Assert.Equal(expected, SequenceWarmupMath.Length(128, 8, 0.5, fraction));
    }

    [Fact]
    public void Length_StartAboveTheFullLength_IsTheFullLength()
    {
        Assert.Equal(16, SequenceWarmupMath.Length(16, 32, 0.5, 0));
        Assert.Equal(5, SequenceWarmupMath.Length(16, 5, 0.5, 0.01)); // below a multiple of 8, the start is kept
    }

    [Fact]
    public void Run_OnALanguageModel_CutsInputsAndTargetsAlikeAndEvaluatesFullSequences()
    {
        var technique = new SequenceWarmupTechnique(8, 0.5);
        var fed = new List<(long Inputs, long Targets)>();
        var evaluated = new List<long>();
        var after = new ProbeTechnique("after", TrainingEvent.BeforeForward, (_, s) => fed.Add((s.Inputs!.shape[1], s.Targets!.shape[1])));

        // A step budget: the fraction before batch k is k / 10.
        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(10), [technique, after]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        long[] lengths = [8, 8, 16, 16, 24, 32, 32, 32, 32, 32]; // 8 + 24 x k/10 / 0.5, in multiples of 8, full (32) from k = 5
        Assert.Equal(lengths.Select(l => (l, l)), fed);
        Assert.Contains("AfterDataLoader:seq_warmup x5", outcome.Trace);
        Assert.True(double.IsFinite(outcome.BestMetric!.Value));
    }
}
