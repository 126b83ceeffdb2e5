using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Storage;

namespace Tuner.Reports;

/// <summary>
/// The tuning report: one row per trial of a study (waiting, running and finished), every option as a column (one
/// 0/1 column per technique of the space or of any trial, and one column per technique option, <c>technique.option</c>),
/// with status, metrics, time-to-target, seed, the censored score the tuner ranked by, and the environment. Columns
/// are documented in results/README.md.
/// </summary>
public static class TuningReportCsv
{
    public static readonly IReadOnlyList<string> LeadingColumns =
    [
        "study", "suite", "tuner", "trial", "state", "status", "fidelity", "tag", "seed", "attempts", "note",
        "optimizer", "lr", "batch_size", "momentum", "weight_decay", "eval_samples", "horizon", "n_techniques", "techniques",
    ];

    public static readonly IReadOnlyList<string> TrailingColumns =
    [
        "time_to_target_s", "censored_at_s", "steps_to_target", "samples_to_target", "best_metric", "final_metric", "test_metric", "target", "budget", "steps",
        "samples", "epochs", "train_s", "eval_s", "samples_per_s", "throughput_samples_per_s", "peak_rss_mib", "score", "failure_reason", "started_at",
        "worker", "cpu", "logical_cores", "threads", "os", "dotnet", "torchsharp", "libtorch", "device", "git_commit", "machine",
    ];

    /// <param name="path">CSV to write (replaced atomically).</param>
    /// <param name="study">The study.</param>
    /// <param name="trials">Its trials, in number order.</param>
    /// <param name="techniqueNames">Techniques of the search space (columns even when no trial used them).</param>
    /// <param name="score">The censored objective of a trial (null when it has no result).</param>
    public static void Write(string path, StudyInfo study, IReadOnlyList<StoredTrial> trials, IReadOnlyList<string> techniqueNames, Func<StoredTrial, double?> score)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(techniqueNames);
        ArgumentNullException.ThrowIfNull(score);
        string[] techniques = [.. techniqueNames.Concat(trials.SelectMany(t => t.Plan.Configuration.Techniques.Select(s => s.Name))).Distinct(StringComparer.Ordinal)];
        string[] options = [.. trials.SelectMany(t => t.Plan.Configuration.Techniques.SelectMany(s => s.Options.Keys.Select(k => $"{s.Name}.{k}")))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        string[] header = [.. LeadingColumns, .. techniques, .. options, .. TrailingColumns];
        CsvTable.Write(path, header, trials.Select(t => Row(study, t, techniques, options, score(t))));
    }

    private static string[] Row(StudyInfo study, StoredTrial t, string[] techniques, string[] options, double? score)
    {
        TrainingConfiguration c = t.Plan.Configuration;
        TrialRecord? r = t.Record;
        var on = c.Techniques.ToDictionary(s => s.Name, StringComparer.Ordinal);
        EnvironmentManifest? e = r?.Environment;
        var row = new List<string>
        {
            study.Definition.Name, study.Definition.Suite, study.Definition.Tuner, CsvTable.Whole(t.Number), t.State.ToString().ToLowerInvariant(),
            r?.Status.ToString() ?? string.Empty, CsvTable.Number(t.Plan.Fidelity), t.Plan.Tag ?? string.Empty, CsvTable.Whole(t.Plan.Seed),
            CsvTable.Whole(t.Attempts), t.Note ?? string.Empty,
            c.ToSetArguments().First()["optimizer=".Length..], CsvTable.Exact(c.LearningRate), CsvTable.Whole(c.BatchSize), CsvTable.Exact(c.Momentum), CsvTable.Exact(c.WeightDecay),
            CsvTable.Whole(c.EvalEverySamples), c.HorizonText, CsvTable.Whole(c.Techniques.Count), string.Join(";", c.Techniques),
        };
        row.AddRange(techniques.Select(name => on.ContainsKey(name) ? "1" : "0"));
        row.AddRange(options.Select(key =>
        {
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            return on.TryGetValue(key[..dot], out TechniqueSpec? spec) && spec.Options.TryGetValue(key[(dot + 1)..], out string? v) ? v : string.Empty;
        }));
        row.AddRange(
        [
            CsvTable.Number(r?.TimeToTargetSeconds), CsvTable.Number(r?.CensoredAtSeconds), CsvTable.Whole(r?.StepsToTarget), CsvTable.Whole(r?.SamplesToTarget),
            CsvTable.Number(r?.BestMetric), CsvTable.Number(r?.FinalMetric), CsvTable.Number(r?.TestMetric), CsvTable.Number(study.Definition.TargetValue), study.Definition.Budget.ToString(),
            CsvTable.Whole(r?.Steps), CsvTable.Whole(r?.Samples), CsvTable.Number(r?.Epochs), CsvTable.Number(r?.TrainSeconds),
            CsvTable.Number(r?.EvalSeconds), CsvTable.Number(r?.SamplesPerSecond), CsvTable.Number(r?.ThroughputSamplesPerSecond), CsvTable.Number(r is null ? null : r.PeakRssBytes / (1024.0 * 1024.0)),
            CsvTable.Number(score), r?.FailureReason ?? string.Empty, CsvTable.Time(r?.StartedAt), t.WorkerId ?? string.Empty,
            e?.CpuModel ?? string.Empty, CsvTable.Whole(e?.LogicalCores), CsvTable.Whole(e?.TorchThreads), e?.Os ?? string.Empty,
            e?.DotNet ?? string.Empty, e?.TorchSharpVersion ?? string.Empty, e?.LibTorchVersion ?? string.Empty, e?.Device ?? string.Empty,
            e?.GitCommit ?? string.Empty, e?.MachineName ?? string.Empty,
        ]);
        return [.. row];
    }
}
