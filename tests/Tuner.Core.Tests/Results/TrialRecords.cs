using Tuner.Core.Configuration;
using Tuner.Core.Trials;

namespace Tuner.Core.Tests.Results;

/// <summary>Trial records with every field set to a distinct, non-default value.</summary>
internal static class TrialRecords
{
    public static TrialRecord Full(string runId = "run-42", TrialStatus status = TrialStatus.NotReached) => new()
    {
        SchemaVersion = TrialRecord.CurrentSchemaVersion,
        RunId = runId,
        Suite = "digits-mlp",
        Configuration = new TrainingConfiguration
        {
            Optimizer = "adamw",
            LearningRate = 0.0123,
            BatchSize = 48,
            Momentum = 0.85,
            WeightDecay = 0.0004,
            EvalEverySamples = 11,
            Techniques =
            [
                new TechniqueSpec("label_smoothing", new Dictionary<string, string> { ["alpha"] = "0.2" }),
                TechniqueSpec.Of("warmup"),
            ],
        },
        Seed = 1234567890123,
        Budget = "30s",
        Target = new TargetSpec("accuracy", 0.97),
        Status = status,
        TimeToTargetSeconds = 4.25,
        StepsToTarget = 120,
        SamplesToTarget = 3840,
        CensoredAtSeconds = 29.5,
        BestMetric = 0.9611,
        FinalMetric = 0.9583,
        FinalTrainLoss = 0.1234,
        Steps = 450,
        Samples = 14400,
        Epochs = 10.0139,
        TrainSeconds = 29.75,
        EvalSeconds = 1.5,
        SamplesPerSecond = 484.03,
        PeakRssBytes = 512L * 1024 * 1024,
        FailureReason = "none \"quoted\" \u00e9",
        StartedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2)),
        Curve =
        [
            new EvaluationPoint(10, 320, 0.5, 0.71, 0.9, 1.1),
            new EvaluationPoint(20, 640, 1.0, 0.85, 0.5, 0.6),
        ],
        TechniqueTrace = ["BeforeLoss:label_smoothing x450", "BeforeOptimizerStep:warmup x100"],
        Environment = new EnvironmentManifest
        {
            CpuModel = "Test CPU @ 3.0GHz",
            LogicalCores = 16,
            TorchThreads = 2,
            Os = "Linux 6.1",
            DotNet = "10.0.0",
            TorchSharpVersion = "0.107.0",
            LibTorchVersion = "2.10.0",
            Device = "cpu",
            GitCommit = "abcdef1",
            MachineName = "bench-1",
            CalibrationStepSeconds = 0.00123,
        },
    };

    /// <summary>Asserts every field of two records is equal (records hold lists, which record equality compares by reference).</summary>
    public static void AssertSame(TrialRecord expected, TrialRecord actual)
    {
        Assert.Equal(expected.SchemaVersion, actual.SchemaVersion);
        Assert.Equal(expected.RunId, actual.RunId);
        Assert.Equal(expected.Suite, actual.Suite);
        Assert.Equal(expected.Configuration, actual.Configuration);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.Budget, actual.Budget);
        Assert.Equal(expected.Target, actual.Target);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.TimeToTargetSeconds, actual.TimeToTargetSeconds);
        Assert.Equal(expected.StepsToTarget, actual.StepsToTarget);
        Assert.Equal(expected.SamplesToTarget, actual.SamplesToTarget);
        Assert.Equal(expected.CensoredAtSeconds, actual.CensoredAtSeconds);
        Assert.Equal(expected.BestMetric, actual.BestMetric);
        Assert.Equal(expected.FinalMetric, actual.FinalMetric);
        Assert.Equal(expected.FinalTrainLoss, actual.FinalTrainLoss);
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Epochs, actual.Epochs);
        Assert.Equal(expected.TrainSeconds, actual.TrainSeconds);
        Assert.Equal(expected.EvalSeconds, actual.EvalSeconds);
        Assert.Equal(expected.SamplesPerSecond, actual.SamplesPerSecond);
        Assert.Equal(expected.PeakRssBytes, actual.PeakRssBytes);
        Assert.Equal(expected.FailureReason, actual.FailureReason);
        Assert.Equal(expected.StartedAt, actual.StartedAt);
        Assert.Equal(expected.StartedAt.Offset, actual.StartedAt.Offset);
        Assert.Equal(expected.Curve, actual.Curve);
        Assert.Equal(expected.TechniqueTrace, actual.TechniqueTrace);
        Assert.Equal(expected.Environment, actual.Environment);
    }
}
