using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Recommendations;

namespace Tuner.Search.Tests.Recommendations;

public sealed class CandidateChoiceTests
{
    private static readonly TrainingConfiguration Baseline = new();

    internal static TrialRecord Run(double? timeToTarget, TrialStatus? status = null, long seed = 0) => new()
    {
        RunId = Guid.NewGuid().ToString("N"),
        Suite = "s",
        Configuration = Baseline,
        Seed = seed,
        Budget = "10s",
        Target = new TargetSpec("accuracy", 0.9),
        Status = status ?? (timeToTarget is null ? TrialStatus.NotReached : TrialStatus.Reached),
        TimeToTargetSeconds = timeToTarget,
        Steps = 1,
        Samples = 1,
        Epochs = 0,
        TrainSeconds = timeToTarget ?? 10,
        EvalSeconds = 0,
        SamplesPerSecond = 1,
        PeakRssBytes = 0,
        StartedAt = DateTimeOffset.UnixEpoch,
        Curve = [],
        TechniqueTrace = [],
        Environment = new EnvironmentManifest { CpuModel = "cpu", LogicalCores = 1, TorchThreads = 1, Os = "os", DotNet = "10", TorchSharpVersion = "t", LibTorchVersion = "l", Device = "cpu" },
    };

    private static TrainingConfiguration With(params string[] techniques) => Baseline with { Techniques = [.. techniques.Select(TechniqueSpec.Of)] };

    private static ValidatedCandidate Summary(string label, TrainingConfiguration c, double?[] times, double?[] baseline) =>
        CandidateChoice.Summarise(label, 1, c, [.. times.Select(t => Run(t))], [.. baseline.Select(t => Run(t))]);

    [Fact]
    public void Choose_ClearlyFastest_WinsWithSpeedUpAboveOne()
    {
        double?[] baseline = [10, 11, 12];
        ValidatedCandidate b = Summary(CandidateChoice.BaselineLabel, Baseline, baseline, baseline);
        ValidatedCandidate fast = Summary("candidate 1", With("ema", "precision"), [4, 5, 6], baseline);

        (ValidatedCandidate? chosen, string reason) = CandidateChoice.Choose([b, fast], 0.05);

        Assert.Same(fast, chosen);
        Assert.Equal("fastest median time-to-target", reason);
        Assert.Equal(11.0 / 5.0, fast.SpeedUp!.Estimate, 6);
        Assert.True(fast.SpeedUp.IsFaster);
    }

    [Fact]
    public void Choose_TieWithinTolerance_GoesToFewerTechniques()
    {
        double?[] baseline = [10, 10, 10];
        ValidatedCandidate three = Summary("candidate 1", With("ema", "precision", "lookahead"), [5.0, 5.0, 5.0], baseline);
        ValidatedCandidate one = Summary("candidate 2", With("precision"), [5.2, 5.2, 5.2], baseline);

        (ValidatedCandidate? chosen, string reason) = CandidateChoice.Choose([three, one], 0.05);

        Assert.Same(one, chosen);
        Assert.Contains("fewer techniques", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_CandidateMissingTargetOnMostSeeds_IsNotEligible()
    {
        double?[] baseline = [10, 10, 10];
        ValidatedCandidate b = Summary(CandidateChoice.BaselineLabel, Baseline, baseline, baseline);
        ValidatedCandidate flaky = Summary("candidate 1", With("ema"), [1, null, null], baseline);

        (ValidatedCandidate? chosen, _) = CandidateChoice.Choose([b, flaky], 0.05);

        Assert.Same(b, chosen);
        Assert.Equal(1.0 / 3, flaky.ReachShare, 6);
        Assert.False(flaky.Eligible);
    }

    [Fact]
    public void Choose_DivergedRun_MakesACandidateIneligible()
    {
        ValidatedCandidate diverging = CandidateChoice.Summarise("candidate 1", 1, With("ema"), [Run(1), Run(1), Run(null, TrialStatus.Diverged)], null);

        Assert.False(diverging.Eligible);
        Assert.Null(CandidateChoice.Choose([diverging], 0.05).Chosen);
    }

    [Fact]
    public void Choose_NothingReached_ReturnsNullWithReason()
    {
        ValidatedCandidate none = Summary(CandidateChoice.BaselineLabel, Baseline, [null, null, null], [null, null, null]);

        (ValidatedCandidate? chosen, string reason) = CandidateChoice.Choose([none], 0.05);

        Assert.Null(chosen);
        Assert.Contains("no configuration reached", reason, StringComparison.Ordinal);
    }
}
