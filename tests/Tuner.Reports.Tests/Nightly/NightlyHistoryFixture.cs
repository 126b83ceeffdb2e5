using Tuner.Core.Configuration;
using Tuner.Core.Regression;
using Tuner.Core.Tests.Results;
using Tuner.Core.Trials;
using Tuner.Reports.Nightly;
using Tuner.Storage;

namespace Tuner.Reports.Tests.Nightly;

/// <summary>
/// Three nights of a made-up manifest "golden" written to a real SQLite store, with a fixed clock: four tracked
/// configurations of digits-mlp over seeds 1-5 whose third night is unchanged (baseline), 30% slower with one seed
/// missing the target (fast), shifted inside its own noise (wild) and 30% faster (tuned).
/// </summary>
internal static class NightlyHistoryFixture
{
    public const string Manifest = "golden";

    public static readonly string[] Nights = ["2026-11-01T02-00-00Z", "2026-11-02T02-00-00Z", "2026-11-03T02-00-00Z"];

    private static readonly double Inf = double.PositiveInfinity;

    /// <summary>Time-to-target by night and configuration, seeds 1-5 (+infinity: not reached).</summary>
    private static readonly Dictionary<string, double[][]> Times = new(StringComparer.Ordinal)
    {
        ["baseline"] = [[4.00, 4.20, 4.10, 4.30, 3.90], [4.05, 4.15, 4.12, 4.25, 3.95], [4.02, 4.18, 4.08, 4.22, 3.97]],
        ["fast"] = [[2.00, 2.10, 1.90, 2.05, 1.95], [2.02, 2.08, 1.93, 2.04, 1.98], [2.70, 2.60, Inf, 2.65, 2.62]],
        ["wild"] = [[0.5, 2.9, 2.0, 0.8, 2.5], [1.2, 2.8, 2.2, 0.6, 2.7], [2.92, 2.96, 3.00, 2.94, 2.98]],
        ["tuned"] = [[3.00, 3.10, 2.90, 3.05, 2.95], [3.02, 3.08, 2.93, 3.04, 2.98], [2.10, 2.05, 2.00, 2.12, 2.08]],
    };

    private static readonly Dictionary<string, TrainingConfiguration> Configurations = new(StringComparer.Ordinal)
    {
        ["baseline"] = new TrainingConfiguration { LearningRate = 0.05 },
        ["fast"] = new TrainingConfiguration { LearningRate = 0.08, Techniques = [new TechniqueSpec("label_smoothing", new Dictionary<string, string> { ["alpha"] = "0.1" })] },
        ["wild"] = new TrainingConfiguration { LearningRate = 0.3 },
        ["tuned"] = new TrainingConfiguration { LearningRate = 0.05, BatchSize = 256, Techniques = [TechniqueSpec.Of("ema")] },
    };

    /// <summary>
    /// The history; <paramref name="machineTonight"/> makes the third night's machine that much slower (every time and the
    /// reference step time scaled alike); <paramref name="samplesChangedTonight"/> names a configuration whose third night
    /// reaches the target after 2,400 samples instead of 3,000 on every seed (a change of the algorithm, not of speed).
    /// </summary>
    public static async Task<IStudyStorage> CreateAsync(string path, double machineTonight = 1.0, string? samplesChangedTonight = null)
    {
        var time = new ManualTimeProvider();
        time.Advance(new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero) - time.GetUtcNow());
        IStudyStorage storage = await StudyStorage.OpenAsync(path, time, CancellationToken.None);
        for (int n = 0; n < Nights.Length; n++)
        {
            var plan = new NightPlan
            {
                Manifest = Manifest,
                Night = Nights[n],
                Suite = "digits-mlp",
                Baseline = "baseline",
                Configurations = [.. Configurations.Select(c => new NightConfiguration(c.Key, c.Value.ToString()))],
                Seeds = [1, 2, 3, 4, 5],
                Threads = 1,
                Policy = RegressionPolicy.Default,
            };
            StudyInfo study = await storage.OpenStudyAsync(new StudyDefinition
            {
                Name = NightPlan.StudyName(Manifest, Nights[n], "digits-mlp"),
                Suite = "digits-mlp",
                Tuner = NightPlan.TunerName,
                TunerSeed = 0,
                Budget = Core.Budgets.Budget.Seconds(30),
                TargetMetric = "accuracy",
                TargetValue = 0.97,
                SpaceJson = plan.ToJson(),
                CreatedBy = "test",
            }, CancellationToken.None);
            foreach ((string label, TrainingConfiguration configuration) in Configurations)
            {
                for (int seed = 1; seed <= 5; seed++)
                {
                    StoredTrial trial = await storage.EnqueueTrialAsync(study.Id, new TrialPlan(configuration, [], 1.0, label, seed), CancellationToken.None);
                    await storage.ClaimTrialAsync(study.Id, "w", CancellationToken.None);
                    double machine = n == Nights.Length - 1 ? machineTonight : 1.0;
                    double ttt = Times[label][n][seed - 1] * machine;
                    TrialRecord record = Record(label, configuration, seed, ttt, time.GetUtcNow());
                    record = record with { Environment = record.Environment with { CalibrationStepSeconds = 0.0015 * machine, TorchThreads = 1 } };
                    if (label == "baseline")
                    {
                        // Paired with a reference workload that ran as much slower as the machine: samples per reference step hold.
                        record = record with { PairedThroughput = record.SamplesPerSecond * 0.0015 * machine };
                    }
                    if (label == samplesChangedTonight && n == Nights.Length - 1 && record.SamplesToTarget is not null)
                    {
                        record = record with { SamplesToTarget = 2400 };
                    }

                    await storage.FinishTrialAsync(study.Id, trial.Number, "w", record, CancellationToken.None);
                    time.Advance(TimeSpan.FromSeconds(7));
                }
            }

            time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(7 * 20));
        }

        return storage;
    }

    private static TrialRecord Record(string label, TrainingConfiguration configuration, long seed, double ttt, DateTimeOffset started)
    {
        bool reached = double.IsFinite(ttt);
        double trained = reached ? ttt : 30.0;
        double rate = 3000 / (reached ? ttt : 3.5);
        return TrialRecords.Full($"{label}-{seed}-{started:MMdd}", reached ? TrialStatus.Reached : TrialStatus.NotReached) with
        {
            Configuration = configuration,
            Seed = seed,
            TimeToTargetSeconds = reached ? ttt : null,
            CensoredAtSeconds = reached ? null : trained,
            StepsToTarget = reached ? 100 : null,
            SamplesToTarget = reached ? 3000 : null,
            BestMetric = reached ? 0.971 : 0.962,
            FinalMetric = reached ? 0.971 : 0.962,
            TrainSeconds = trained,
            SamplesPerSecond = rate,
            FailureReason = null,
            StartedAt = started,
            Curve =
            [
                new EvaluationPoint(50, 1500, trained / 2, 0.9, 0.3, 0.4),
                new EvaluationPoint(100, 3000, trained, reached ? 0.971 : 0.962, 0.2, 0.3),
            ],
        };
    }
}
