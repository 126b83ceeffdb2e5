using System.Globalization;
using Tuner.Core.Errors;
using Tuner.Core.Regression;
using Tuner.Core.Statistics;
using Tuner.Core.Trials;
using Tuner.Storage;

namespace Tuner.Reports.Nightly;

/// <summary>
/// Reads a nightly manifest's nights from the study store and analyses one of them against its history: each tracked
/// configuration's earlier nights that are comparable (same suite, budget, target, configuration and environment; not
/// a night with an injected slowdown), the last <see cref="RegressionPolicy.HistoryNights"/> of them pooled.
/// Everything the reports show comes from here, so <c>tuner report</c> regenerates them from the store alone.
/// </summary>
public static class NightlyAnalysis
{
    /// <summary>The manifest's nights in the order they ran.</summary>
    public static async Task<IReadOnlyList<string>> ListNightsAsync(IStudyStorage storage, string manifest, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredNight> studies = await LoadAsync(storage, manifest, cancellationToken).ConfigureAwait(false);
        return NightOrder(studies);
    }

    /// <summary>Analyses <paramref name="night"/> (null: the latest) of <paramref name="manifest"/>.</summary>
    public static async Task<NightReport> AnalyseAsync(IStudyStorage storage, string manifest, string? night, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        IReadOnlyList<StoredNight> studies = await LoadAsync(storage, manifest, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> nights = NightOrder(studies);
        if (nights.Count == 0)
        {
            throw new TunerInputException($"no nightly runs of '{manifest}' in {storage}: run tuner nightly --manifest FILE first");
        }

        string target = night ?? nights[^1];
        int index = IndexOf(nights, target);
        if (index < 0)
        {
            throw new TunerInputException($"night '{target}' of '{manifest}' is not in {storage}: nights are {string.Join(", ", nights.TakeLast(5))} (latest last)");
        }

        var trials = new Dictionary<long, IReadOnlyList<LabelledRecord>>();
        async Task<IReadOnlyList<LabelledRecord>> RecordsOf(StudyInfo study)
        {
            if (!trials.TryGetValue(study.Id, out IReadOnlyList<LabelledRecord>? records))
            {
                IReadOnlyList<StoredTrial> stored = await storage.GetTrialsAsync(study.Id, cancellationToken).ConfigureAwait(false);
                records = [.. stored.Where(t => t.State == TrialState.Finished && t.Record is not null).Select(t => new LabelledRecord(t.Plan.Tag ?? string.Empty, t.Record!))];
                trials[study.Id] = records;
            }

            return records;
        }

        List<StoredNight> tonight = [.. studies.Where(s => s.Plan.Night == target)];
        var suites = new List<SuiteNight>();
        foreach (StoredNight suiteNight in tonight)
        {
            NightPlan plan = suiteNight.Plan;
            IReadOnlyList<LabelledRecord> records = await RecordsOf(suiteNight.Study).ConfigureAwait(false);
            List<StoredNight> earlier = [.. studies.Where(s => s.Plan.Suite == plan.Suite && IndexOf(nights, s.Plan.Night) < index).OrderBy(s => IndexOf(nights, s.Plan.Night))];
            var notes = new List<string>();
            int otherSetup = earlier.Count(s => !SameSetup(s.Study.Definition, suiteNight.Study.Definition));
            if (otherSetup > 0)
            {
                notes.Add(Invariant($"{otherSetup} earlier night(s) used another budget or target and are not compared"));
            }

            int injected = earlier.Count(s => s.Plan.Injected && SameSetup(s.Study.Definition, suiteNight.Study.Definition));
            if (injected > 0)
            {
                notes.Add(Invariant($"{injected} earlier night(s) had an injected slowdown and are not history"));
            }

            // Each night's machine speed: the median reference step time over its trials (null when not measured).
            var speeds = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (StoredNight other in earlier.Append(suiteNight))
            {
                speeds[other.Plan.Night] = MachineSpeed(await RecordsOf(other.Study).ConfigureAwait(false));
            }

            double? tonightSpeed = speeds[target];
            var historySpeeds = new List<double?>(); // the pooled nights' speeds, over every configuration
            List<TrialRecord> baselineRuns = [.. ByLabel(records, plan.Baseline)];
            double[] baselineTimes = [.. baselineRuns.Select(TimeOf)];
            var configurations = new List<ConfigurationNight>();
            foreach (NightConfiguration configuration in plan.Configurations)
            {
                List<TrialRecord> runs = [.. ByLabel(records, configuration.Label).OrderBy(r => r.Seed)];
                string? environment = runs.Count > 0 ? EnvironmentKey(runs[0].Environment) : null;
                var history = new List<(string Night, List<TrialRecord> Runs, bool Injected)>();
                foreach (StoredNight before in earlier.Where(s => SameSetup(s.Study.Definition, suiteNight.Study.Definition)))
                {
                    List<TrialRecord> comparable = [.. ByLabel(await RecordsOf(before.Study).ConfigureAwait(false), configuration.Label)
                        .Where(r => r.Configuration.ToString() == configuration.Configuration && (environment is null || EnvironmentKey(r.Environment) == environment))];
                    if (comparable.Count > 0)
                    {
                        history.Add((before.Plan.Night, comparable, before.Plan.Injected));
                    }
                }

                List<(string Night, List<TrialRecord> Runs, bool Injected)> pooled = [.. history.Where(h => !h.Injected).TakeLast(plan.Policy.HistoryNights)];
                ConfigurationComparison comparison = RegressionDetector.Compare(
                    [.. runs.Select(r => Measure(target, r, 1.0))],
                    [.. pooled.SelectMany(h => h.Runs.Select(r => Measure(h.Night, r, MachineScale(tonightSpeed, speeds.GetValueOrDefault(h.Night)))))],
                    plan.Policy);
                historySpeeds.AddRange(pooled.Select(h => speeds.GetValueOrDefault(h.Night)));
                if (AlgorithmicChange(configuration.Label, runs, pooled.LastOrDefault()) is string change)
                {
                    notes.Add(change);
                }

                bool isBaseline = configuration.Label == plan.Baseline;
                double[] times = [.. runs.Select(TimeOf)];
                List<NightPoint> trend = [.. history.Select(h => Point(h.Night, h.Runs, h.Injected)), Point(target, runs, plan.Injected)];
                configurations.Add(new ConfigurationNight(
                    configuration.Label,
                    configuration.Configuration,
                    isBaseline,
                    configuration.Slowdown,
                    runs,
                    Bootstrap.MedianInterval(times),
                    runs.Count == 0 ? double.NaN : Robust.Median([.. runs.Select(Throughput)]),
                    isBaseline || baselineTimes.Length == 0 || times.Length == 0 ? null : SpeedUp.Estimate(baselineTimes, times),
                    comparison,
                    trend));
            }

            StudyDefinition definition = suiteNight.Study.Definition;
            // Reported only when every pooled night was measured (a night from before calibration is compared unscaled).
            double? machine = tonightSpeed is double t && historySpeeds.Count > 0 && historySpeeds.All(v => v is not null)
                ? t / Robust.Median([.. historySpeeds.Select(v => v!.Value)])
                : null;
            if (machine is double m && Math.Abs(m - 1) >= 0.05)
            {
                notes.Add(Invariant($"the machine ran {Math.Abs(m - 1) * 100:0}% {(m > 1 ? "slower" : "faster")} tonight than in the history (reference workload); the history's times and throughput are scaled to tonight's speed before comparing"));
            }

            suites.Add(new SuiteNight(plan.Suite, definition.Budget.ToString(), definition.TargetMetric, definition.TargetValue, configurations, notes)
            {
                MachineVsHistory = machine,
                MachineSpeeds = [.. earlier.Append(suiteNight).Select(s => s.Plan.Night).Distinct(StringComparer.Ordinal).Select(n => new MachineSpeedPoint(n, speeds.GetValueOrDefault(n)))],
            });
        }

        TrialRecord? first = suites.SelectMany(s => s.Configurations).SelectMany(c => c.Runs).FirstOrDefault();
        return new NightReport(
            manifest,
            target,
            tonight.Min(s => s.Study.CreatedAt),
            tonight[0].Plan.Policy,
            first is null ? "no trial finished" : Describe(first.Environment),
            suites);
    }

    /// <summary>Machine facts that make times comparable: CPU, cores, torch threads, device, libtorch. (Not the commit: code changes are what a nightly looks for.)</summary>
    public static string EnvironmentKey(EnvironmentManifest environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Invariant($"{environment.CpuModel}|{environment.LogicalCores}|{environment.TorchThreads}|{environment.Device}|{environment.LibTorchVersion}");
    }

    public static string Describe(EnvironmentManifest environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Invariant($"{environment.CpuModel}, {environment.LogicalCores} cores, {environment.TorchThreads} torch thread(s), {environment.Device}, TorchSharp {environment.TorchSharpVersion}, libtorch {environment.LibTorchVersion}, {environment.DotNet}, {environment.Os}");
    }

    /// <summary>Time-to-target of a record: seconds, or +infinity when the target was not reached.</summary>
    public static double TimeOf(TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Status == TrialStatus.Reached && record.TimeToTargetSeconds is double t ? t : double.PositiveInfinity;
    }

    /// <summary>A record as the detector sees it, its times multiplied by <paramref name="scale"/> (machine speed; 1: as measured); the paired throughput needs no scaling.</summary>
    private static SeedMeasurement Measure(string night, TrialRecord record, double scale) =>
        new(night, record.Seed, TimeOf(record) * scale, record.Steps > 0 ? Throughput(record) / scale : double.NaN, record.PairedThroughput ?? double.NaN);

    /// <summary>The steady-state throughput (median of timing windows) when the record has it, else samples / charged seconds (records from before it).</summary>
    private static double Throughput(TrialRecord record) => record.ThroughputSamplesPerSecond ?? record.SamplesPerSecond;

    /// <summary>
    /// Samples-to-target on a fixed seed with one torch thread is exact: the same code reaches the target after the same
    /// samples on any machine, at any speed. A difference from the latest comparable night on the same seed is an
    /// algorithmic change (the code or the data changed what is learned), named as such; no statistics are needed.
    /// </summary>
    private static string? AlgorithmicChange(string label, List<TrialRecord> tonight, (string Night, List<TrialRecord> Runs, bool Injected) last)
    {
        if (last.Runs is null)
        {
            return null;
        }

        var before = last.Runs.Where(r => r.Environment.TorchThreads == 1).GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.First());
        var changed = tonight.Where(r => r.Environment.TorchThreads == 1 && before.TryGetValue(r.Seed, out TrialRecord? b) &&
                b.Status == TrialStatus.Reached && r.Status == TrialStatus.Reached && b.SamplesToTarget != r.SamplesToTarget) // a miss under a time budget can be timing

            .Select(r => Invariant($"seed {r.Seed}: {Samples(r)} tonight, {Samples(before[r.Seed])} on {last.Night}"))
            .ToList();
        return changed.Count == 0 ? null
            : Invariant($"{label}: samples-to-target changed on fixed seeds ({string.Join("; ", changed.Take(3))}{(changed.Count > 3 ? $"; {changed.Count - 3} more" : string.Empty)}): an algorithmic change (with one thread the same code reaches the target after exactly the same samples), not a timing one");
    }

    private static string Samples(TrialRecord record) => Invariant($"{record.SamplesToTarget} samples");

    /// <summary>The median reference step time of a night's trials, or null when any trial lacks it (a night from before calibration).</summary>
    private static double? MachineSpeed(IReadOnlyList<LabelledRecord> records)
    {
        double?[] speeds = [.. records.Select(r => r.Record.Environment.CalibrationStepSeconds)];
        return speeds.Length > 0 && speeds.All(v => v is > 0) ? Robust.Median([.. speeds.Select(v => v!.Value)]) : null;
    }

    /// <summary>How much slower the machine was tonight than on a history night (time scale for that night's results); 1 when either is unknown.</summary>
    private static double MachineScale(double? tonight, double? night) => tonight is double t && night is double n ? t / n : 1.0;

    private static NightPoint Point(string night, List<TrialRecord> runs, bool injected) =>
        new(night, Bootstrap.MedianInterval([.. runs.Select(TimeOf)]), runs.Count(r => r.Status == TrialStatus.Reached), runs.Count, injected);

    private static bool SameSetup(StudyDefinition a, StudyDefinition b) =>
        a.Budget == b.Budget && a.TargetMetric == b.TargetMetric && a.TargetValue.Equals(b.TargetValue);

    private static IEnumerable<TrialRecord> ByLabel(IEnumerable<LabelledRecord> records, string label) =>
        records.Where(r => string.Equals(r.Label, label, StringComparison.Ordinal)).Select(r => r.Record);

    private static int IndexOf(IReadOnlyList<string> nights, string night)
    {
        for (int i = 0; i < nights.Count; i++)
        {
            if (string.Equals(nights[i], night, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static IReadOnlyList<string> NightOrder(IReadOnlyList<StoredNight> studies) =>
        [.. studies.GroupBy(s => s.Plan.Night, StringComparer.Ordinal).OrderBy(g => g.Min(s => s.Study.Id)).Select(g => g.Key)];

    /// <summary>The manifest's nightly studies (tuner <see cref="NightPlan.TunerName"/>, a readable plan of this manifest), oldest first.</summary>
    private static async Task<IReadOnlyList<StoredNight>> LoadAsync(IStudyStorage storage, string manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        IReadOnlyList<StudyInfo> studies = await storage.ListStudiesAsync(manifest + "/", cancellationToken).ConfigureAwait(false);
        var nights = new List<StoredNight>();
        foreach (StudyInfo study in studies.Where(s => s.Definition.Tuner == NightPlan.TunerName))
        {
            if (NightPlan.TryParse(study.Definition.SpaceJson) is { } plan && plan.Manifest == manifest)
            {
                nights.Add(new StoredNight(study, plan));
            }
        }

        return nights;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record StoredNight(StudyInfo Study, NightPlan Plan);

    private sealed record LabelledRecord(string Label, TrialRecord Record);
}
