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

        // No warm-up here: the runner warms every configuration up before its first measured trial (one protocol for
        // every command; see InProcessTrialRunner).
        int total = configurations.Count * plan.Seeds.Count, done = 0;
        async Task RunSeedAsync(long seed, IEnumerable<(string Label, TrainingConfiguration Configuration)> which)
        {
            foreach ((string label, var configuration) in which)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var request = new TrialRequest
                {
                    Suite = plan.Suite,
                    Configuration = configuration,
                    Budget = plan.Budget,
                    Seed = seed,
                    Host = plan.Host,
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

        foreach (long seed in plan.Seeds)
        {
            bool first = seed == plan.Seeds[0];
            await RunSeedAsync(seed, first ? configurations.Take(1) : configurations).ConfigureAwait(false);
            if (first)
            {
                // The horizon near the target comes from this first baseline run (the same for every later seed).
                if (plan.MeasureAtHorizon && results[0].Item2 is { Status: TrialStatus.Reached, SamplesToTarget: long reachedAfter })
                {
                    long horizon = (long)Math.Ceiling(reachedAfter * plan.HorizonFactor / 1000.0) * 1000;
                    configurations = plan.Configurations(horizon);
                    total = configurations.Count * plan.Seeds.Count;
                    log?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"schedules are also measured at a horizon of {horizon} samples ({plan.HorizonFactor:0.##} x the baseline's {reachedAfter} samples to target on seed {seed})"));
                }

                await RunSeedAsync(seed, configurations.Skip(1)).ConfigureAwait(false);
            }
        }

        // More seeds, one at a time, for the techniques whose interval is still too wide (seed-major, with the baseline).
        long next = plan.Seeds.Max() + 1;
        for (int seeds = plan.Seeds.Count; seeds < plan.MaxSeeds; seeds++, next++)
        {
            HashSet<string> wide = [.. Summarise(plan, results).Where(r => NeedsSeeds(r, plan.Precision)).Select(r => r.Technique)];
            if (wide.Count == 0)
            {
                break;
            }

            total += wide.Count + 1;
            log?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"seed {next}: {wide.Count} interval(s) still wider than +-{plan.Precision:P0}: {string.Join(", ", wide)}"));
            await RunSeedAsync(next, configurations.Where(c => c.Label == EffectPlan.BaselineLabel || wide.Contains(c.Label))).ConfigureAwait(false);
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
        double? baselineSamples = MedianOrNull(baseline.Select(SamplesOrInfinity));
        var rows = new List<EffectRow>();
        foreach (string label in results.Select(r => r.Label).Distinct(StringComparer.Ordinal))
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
            string? failure = records.FirstOrDefault(r => r.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.OverMemory)?.FailureReason;
            string verdict = isBaseline ? "baseline"
                : records.All(r => r.Status == TrialStatus.Failed) ? "failed"
                : records.All(r => r.Status != TrialStatus.Reached) ? "never reached"
                : "no significant difference"; // faster or slower once the p-values are adjusted, below
            double? samplesMedian = MedianOrNull(records.Select(SamplesOrInfinity));
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
                PValue = isBaseline || verdict == "failed" ? null : MultipleComparisons.TwoSidedRankTest(baselineTimes, times),
                MedianSamplesToTarget = samplesMedian,
                SamplesRatio = isBaseline ? 1.0 : baselineSamples is double bs && samplesMedian is double ts && ts > 0 ? bs / ts : null,
                MedianTestMetric = MedianOrNull(records.Select(r => r.TestMetric ?? double.NaN).Where(double.IsFinite)),
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

        // One table, many comparisons: Benjamini-Hochberg over every technique that ran (README: Measurement protocol).
        double[] adjusted = MultipleComparisons.BenjaminiHochberg([.. rows.Select(r => r.PValue ?? double.NaN)]);
        for (int i = 0; i < rows.Count; i++)
        {
            EffectRow row = rows[i];
            if (row.PValue is null)
            {
                continue;
            }

            bool significant = adjusted[i] < Significance && row.Verdict == "no significant difference" && row.SpeedUp is not null;
            rows[i] = row with
            {
                AdjustedPValue = adjusted[i],
                Verdict = !significant ? row.Verdict : row.SpeedUp > 1 ? "faster" : row.SpeedUp < 1 ? "slower" : row.Verdict,
            };
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
                Threads = rows.Count > 0 ? rows[0].Threads : plan.Host.Threads ?? 0,
                CpuModel = rows.Count > 0 ? rows[0].CpuModel : string.Empty,
                GitCommit = rows.Count > 0 ? rows[0].GitCommit : null,
            });
        }

        return rows;
    }

    /// <summary>A technique that reached the target at least once and whose speed-up interval is wider than +-precision (or unbounded) needs more seeds.</summary>
    private static bool NeedsSeeds(EffectRow row, double precision) =>
        row.Verdict is "faster" or "slower" or "no significant difference" &&
        (row.SpeedUpLow is not double low || row.SpeedUpHigh is not double high || low <= 0 || high / low > (1 + precision) / (1 - precision));

    /// <summary>The false discovery rate of the table's faster and slower calls.</summary>
    public const double Significance = 0.05;

    private static double SamplesOrInfinity(TrialRecord record) =>
        record.Status == TrialStatus.Reached && record.SamplesToTarget is long s ? s : double.PositiveInfinity;

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
