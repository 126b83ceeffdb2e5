using Tuner.Core.Results;
using Tuner.Core.Statistics;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Techniques;
using Tuner.Training.Engine;

namespace Tuner.Runner.Effects;

/// <summary>Runs an <see cref="EffectPlan"/> and summarises it into <see cref="EffectRow"/>s.</summary>
public static class EffectStudy
{
    /// <summary>
    /// Runs every configuration on every seed, seed-major (for each seed: baseline, then each technique), so that slow
    /// drift of the machine hits all configurations alike. Each record is handed to <paramref name="onRecord"/> as soon
    /// as it exists (so an interrupted study keeps what it measured).
    /// </summary>
    public static async Task<IReadOnlyList<(string Label, TrialRecord Record)>> RunAsync(
        EffectPlan plan,
        ITrialRunner runner,
        IProgress<string>? log,
        Func<string, TrialRecord, Task>? onRecord,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runner);
        var results = new List<(string, TrialRecord)>();
        var configurations = plan.Configurations();

        // Warm-up, not recorded: JIT compilation, allocator and cache first-touch would otherwise be charged to the
        // first trial (the baseline of the first seed) and bias every speed-up.
        await runner.RunAsync(
            new TrialRequest
            {
                Suite = plan.Suite,
                Configuration = plan.Suite.Baseline,
                Budget = Tuner.Core.Budgets.Budget.Steps(50),
                Seed = plan.Seeds[0],
                Device = plan.Device,
                Threads = plan.Threads,
                DataDirectory = plan.DataDirectory,
            },
            null,
            cancellationToken).ConfigureAwait(false);

        int total = configurations.Count * plan.Seeds.Count, done = 0;
        foreach (long seed in plan.Seeds)
        {
            foreach ((string label, var configuration) in configurations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var request = new TrialRequest
                {
                    Suite = plan.Suite,
                    Configuration = configuration,
                    Budget = plan.Budget,
                    Seed = seed,
                    Device = plan.Device,
                    Threads = plan.Threads,
                    DataDirectory = plan.DataDirectory,
                };
                TrialRecord record = await runner.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
                results.Add((label, record));
                done++;
                log?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"[{done}/{total}] seed {seed} {label}: {record.Status} {(record.TimeToTargetSeconds is double t ? $"{t:0.00}s" : "-")} best {record.BestMetric:0.0000} {record.SamplesPerSecond:0} samples/s{(record.FailureReason is null ? string.Empty : " (" + record.FailureReason + ")")}"));
                if (onRecord is not null)
                {
                    await onRecord(label, record).ConfigureAwait(false);
                }
            }
        }

        return results;
    }

    public static IReadOnlyList<EffectRow> Summarise(EffectPlan plan, IReadOnlyList<(string Label, TrialRecord Record)> results)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(results);
        var byLabel = results.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Select(r => r.Record).ToList(), StringComparer.Ordinal);
        List<TrialRecord> baseline = byLabel.GetValueOrDefault(EffectPlan.BaselineLabel) ?? [];
        double[] baselineTimes = [.. baseline.Select(TimeOrInfinity)];
        double baselineStepRate = Robust.Median([.. baseline.Select(StepRate)]);
        var rows = new List<EffectRow>();
        foreach ((string label, _) in plan.Configurations())
        {
            if (!byLabel.TryGetValue(label, out List<TrialRecord>? records) || records.Count == 0)
            {
                continue;
            }

            bool isBaseline = label == EffectPlan.BaselineLabel;
            double[] times = [.. records.Select(TimeOrInfinity)];
            double median = Robust.Median(times);
            SpeedUpEstimate? estimate = isBaseline ? null : SpeedUp.Estimate(baselineTimes, times);
            TrialRecord first = records[0];
            string? failure = records.FirstOrDefault(r => r.Status is TrialStatus.Failed or TrialStatus.Diverged)?.FailureReason;
            string verdict = isBaseline ? "baseline"
                : records.All(r => r.Status == TrialStatus.Failed) ? "failed"
                : records.All(r => r.Status != TrialStatus.Reached) ? "never reached"
                : estimate!.IsFaster ? "faster"
                : estimate.IsSlower ? "slower"
                : "no significant difference";
            string technique = isBaseline ? string.Empty : first.Configuration.Techniques[0].Name;
            rows.Add(new EffectRow
            {
                Suite = plan.Suite.Name,
                Technique = label,
                Family = isBaseline ? string.Empty : TechniqueRegistry.Find(technique)?.Category.ToString().ToLowerInvariant() ?? string.Empty,
                Seeds = records.Count,
                Reached = records.Count(r => r.Status == TrialStatus.Reached),
                MedianTimeToTargetSeconds = double.IsFinite(median) ? median : null,
                MedianStepsToTarget = MedianOrNull(records.Select(r => r.StepsToTarget is long s ? (double)s : double.PositiveInfinity)),
                SpeedUp = isBaseline ? 1.0 : Finite(estimate!.Estimate),
                SpeedUpLow = isBaseline ? null : Finite(estimate!.Low),
                SpeedUpHigh = isBaseline ? null : Finite(estimate!.High),
                Verdict = verdict,
                SamplesPerSecond = Robust.Median([.. records.Select(r => r.SamplesPerSecond)]),
                StepRateRatio = baselineStepRate > 0 ? Finite(Robust.Median([.. records.Select(StepRate)]) / baselineStepRate) : null,
                MedianBestMetric = MedianOrNull(records.Select(r => r.BestMetric ?? double.NaN).Where(double.IsFinite)),
                FailureReason = failure,
                Budget = plan.Budget.ToString(),
                Threads = first.Environment.TorchThreads,
                CpuModel = first.Environment.CpuModel,
                GitCommit = first.Environment.GitCommit,
            });
        }

        foreach ((TechniqueSpec technique, string reason) in plan.NotApplicable())
        {
            rows.Add(new EffectRow
            {
                Suite = plan.Suite.Name,
                Technique = technique.ToString(),
                Family = TechniqueRegistry.Find(technique.Name)?.Category.ToString().ToLowerInvariant() ?? string.Empty,
                Seeds = 0,
                Reached = 0,
                Verdict = "not applicable",
                FailureReason = reason[(reason.IndexOf(": it needs ", StringComparison.Ordinal) + 2)..].Split(';')[0],
                SamplesPerSecond = 0,
                Budget = plan.Budget.ToString(),
                Threads = rows.Count > 0 ? rows[0].Threads : plan.Threads ?? 0,
                CpuModel = rows.Count > 0 ? rows[0].CpuModel : string.Empty,
                GitCommit = rows.Count > 0 ? rows[0].GitCommit : null,
            });
        }

        return rows;
    }

    private static double TimeOrInfinity(TrialRecord record) =>
        record.Status == TrialStatus.Reached && record.TimeToTargetSeconds is double t ? t : double.PositiveInfinity;

    private static double StepRate(TrialRecord record) => record.TrainSeconds > 0 ? record.Steps / record.TrainSeconds : 0;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static double? MedianOrNull(IEnumerable<double> values)
    {
        double m = Robust.Median([.. values]);
        return double.IsFinite(m) ? m : null;
    }
}
