using Tuner.Core.Trials;
using Tuner.Search.Simulation;

namespace Tuner.Search.Tests.Simulation;

public sealed class TruthTableTests
{
    [Fact]
    public void Constructor_SyntheticGrid_BestAndFullGridCompute()
    {
        TruthTable truth = SyntheticTruth.Table();

        Assert.Equal(12, truth.Count);
        Assert.Equal(20.0, truth.BudgetSeconds);
        Assert.Equal(0.88, truth.Target.Value);
        Assert.Equal(7.0, truth.BestTimeToTargetSeconds);
        Assert.Equal(SyntheticTruth.Candidate(0.05, "a").Key, truth.Best!.Configuration.ToString());
        Assert.Equal(truth.Records.Sum(r => r.TrainSeconds), truth.FullGridSeconds, 9);
        Assert.Equal(20.0, truth.Objective.ReferenceSeconds);
    }

    [Fact]
    public void Constructor_ThreeSeedsPerConfiguration_TakesEachConfigurationsMedianRun()
    {
        TrialRecord record = SyntheticTruth.RecordFor(SyntheticTruth.Baseline);
        TrialRecord fast = record with { Seed = 1, TimeToTargetSeconds = 1.0 };
        TrialRecord middle = record with { Seed = 2, TimeToTargetSeconds = 2.0 };
        TrialRecord miss = record with { Seed = 3, Status = TrialStatus.NotReached, TimeToTargetSeconds = null };

        var truth = new TruthTable([miss, fast, middle]);

        Assert.Equal(1, truth.Count);
        Assert.Equal(3.0, truth.SeedsPerConfiguration);
        Assert.Same(middle, truth.Records[0]); // not the lucky seed, not the miss
        Assert.Equal(2.0, truth.BestTimeToTargetSeconds);
    }

    [Fact]
    public void Constructor_ConfigurationTwiceOnOneSeed_Throws()
    {
        TrialRecord record = SyntheticTruth.RecordFor(SyntheticTruth.Baseline);

        var error = Assert.Throws<ArgumentException>(() => new TruthTable([record, record]));

        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MixedBudgets_Throws()
    {
        TrialRecord first = SyntheticTruth.RecordFor(SyntheticTruth.Baseline);
        TrialRecord other = SyntheticTruth.RecordFor(SyntheticTruth.Candidate(0.1).Configuration) with { Budget = "30s" };

        Assert.Throws<ArgumentException>(() => new TruthTable([first, other]));
    }

    [Fact]
    public void Constructor_Empty_Throws() => Assert.Throws<ArgumentException>(() => new TruthTable([]));

    [Fact]
    public void Lookup_KnownCandidate_ReturnsItsRecord()
    {
        TruthTable truth = SyntheticTruth.Table();

        Assert.Equal(TrialStatus.Diverged, truth.Lookup(SyntheticTruth.Candidate(0.1, "a", "b")).Status);
    }
}
