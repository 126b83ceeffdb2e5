using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Reports;
using Tuner.Runner;
using Tuner.Runner.Search;
using Tuner.Search.Importance;
using Tuner.Search.Tuners;
using Tuner.Storage;

namespace Tuner.Cli.Commands;

public sealed class SearchSettings : StudySettings
{
}

[Description("Search technique combinations with an AutoML tuner; trials are stored in a resumable study.")]
public sealed class SearchCommand(CliContext cli) : AsyncCommand<SearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SearchSettings settings, CancellationToken cancellationToken)
    {
        long commandStarted = TimeProvider.System.GetTimestamp(); // --time is the command's wall-clock time, data loading included
        TimeSpan? time = StudySetup.Duration(settings.Time, "--time");
        if (settings.Trials is null && time is null && settings.Tuner != "grid")
        {
            throw new TunerInputException("give a stop condition: --trials N or --time DURATION (e.g. --trials 30 or --time 10m)");
        }

        SearchOptions options = StudySetup.Options(settings, time, "tuner search", cli.BaseDirectory) with { StartedTimestamp = commandStarted };
        ClusterLaunch? cluster = ClusterLaunch.Plan(settings, options, cli.BaseDirectory);
        options = cluster?.Options ?? options;
        using var runner = new InProcessTrialRunner(log: new LineProgress(cli));
        await runner.PrepareAsync(TrialRequest.Baseline(options.Suite, options.Budget, options.Host), cancellationToken).ConfigureAwait(false);
        await using IStudyStorage storage = await StudySetup.OpenStorageAsync(settings, cli, cancellationToken).ConfigureAwait(false); // after the data: bad data creates no store
        ITrialRunner trials = StudySetup.Runner(settings, cli, runner);
        var studyRunner = new StudyRunner(storage, trials);
        StudySession session = await studyRunner.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"study {options.StudyName} in {storage}: suite {options.Suite.Name}, tuner {options.Tuner}, target {options.Suite.Target with { Value = session.Objective.TargetValue }}, budget {options.Budget}, space of {options.Space.Dimensions} dimensions"));

        IReadOnlyList<TrialResult> results;
        try
        {
            results = cluster is null
                ? await StudyView.RunAsync(cli, progress => studyRunner.RunAsync(options, progress, cancellationToken)).ConfigureAwait(false)
                : await cluster.RunAsync(cli, storage, studyRunner, session, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await StudyView.WriteReportAsync(cli, storage, session, StudySetup.ReportPath(settings, cli.BaseDirectory, options.StudyName, "trials"), CancellationToken.None).ConfigureAwait(false);
        }

        StudyView.PrintBest(cli, session, results);
        await StudyView.CheckOutcomeAsync(storage, session, options, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}

/// <summary>The live view of a search and what is printed after it (shared by search and recommend).</summary>
internal static class StudyView
{
    /// <summary>Runs a search (<paramref name="run"/> gets the progress sink): one line per trial in logs, a live bar at a terminal.</summary>
    public static async Task<IReadOnlyList<TrialResult>> RunAsync(CliContext cli, Func<IProgress<StudyProgress>, Task<IReadOnlyList<TrialResult>>> run)
    {
        if (!cli.Interactive)
        {
            return await run(new PlainLines(cli)).ConfigureAwait(false);
        }

        return await cli.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async progressContext =>
            {
                ProgressTask task = progressContext.AddTask("starting", maxValue: 1.0);
                IReadOnlyList<TrialResult> done = await run(new Live(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
                return done;
            }).ConfigureAwait(false);
    }

    public static string Describe(TrialResult r) => r.Reached
        ? string.Create(CultureInfo.InvariantCulture, $"{r.TimeToTargetSeconds:0.00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{r.Status} ({(r.BestMetric is double b ? b.ToString("0.0000", CultureInfo.InvariantCulture) : "-")})");

    public static string Eta(StudyProgress p) =>
        p.Remaining is TimeSpan t ? $"ETA {(int)t.TotalMinutes}m{t.Seconds:00}s" : "ETA -";

    public static async Task WriteReportAsync(CliContext cli, IStudyStorage storage, StudySession session, string path, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(session.Study.Id, cancellationToken).ConfigureAwait(false);
        TuningReportCsv.Write(path, session.Study, trials, [.. session.Space.Techniques.Select(t => t.Name)],
            t => session.ToResult(t) is TrialResult r ? session.Objective.Score(r) : null);
        cli.Console.WriteLine($"tuning report: {path} ({trials.Count} trials)");

        TrialResult[] results = [.. trials.Select(session.ToResult).OfType<TrialResult>()];
        ImportanceReport importance = TechniqueImportance.Analyse(session.Space, results, session.Objective);
        string importancePath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path).Replace("-trials", string.Empty, StringComparison.Ordinal) + "-importance.csv");
        ImportanceCsv.Write(importancePath, session.Study.Definition.Name, importance);
        if (importance.Note is not null)
        {
            cli.Console.WriteLine($"technique importance: {importance.Note}");
            return;
        }

        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"technique importance (random-forest surrogate over {importance.Trials} trials; predicted time-to-target with / without, below 1 helps): {importancePath}"));
        foreach (TechniqueEffect e in importance.Effects)
        {
            cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.Technique,-20} {e.Ratio,6:0.00}x  (on in {e.TrialsWith} trials, off in {e.TrialsWithout})"));
        }

        foreach (TechniqueInteraction i in importance.Interactions.Take(3))
        {
            cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i.A} + {i.B}: {i.Kind} {i.Factor:0.00}x (together in {i.TrialsWithBoth} trials)"));
        }
    }

    /// <summary>
    /// A search that did not do its job exits non-zero (its trials stay in the store): exit 2 when no trial of the study
    /// finished (a --time shorter than one trial), exit 5 when every finished trial failed, with the first reason.
    /// </summary>
    public static async Task CheckOutcomeAsync(IStudyStorage storage, StudySession session, SearchOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(session.Study.Id, cancellationToken).ConfigureAwait(false);
        StoredTrial[] finished = [.. trials.Where(t => session.ToResult(t) is not null)];
        if (finished.Length == 0)
        {
            throw new CommandFailedException(
                $"no trial of study {options.StudyName} finished{(options.TimeLimit is TimeSpan t ? string.Create(CultureInfo.InvariantCulture, $" within --time {t.TotalSeconds:0.###}s") : string.Empty)}: give more --time (one trial takes up to the budget {options.Budget} plus data loading)",
                ExitCodes.BadInput);
        }

        if (finished.All(t => session.ToResult(t)!.Status == TrialStatus.Failed))
        {
            StoredTrial first = finished.OrderBy(t => t.Number).First();
            string reason = first.Record?.FailureReason ?? first.Note ?? "no reason recorded";
            throw new CommandFailedException(
                $"every trial of study {options.StudyName} failed ({finished.Length} of {finished.Length}); trial {first.Number}: {reason}",
                ExitCodes.TrialFailed);
        }
    }

    public static void PrintBest(CliContext cli, StudySession session, IReadOnlyList<TrialResult> results)
    {
        TrialResult[] top = [.. session.Objective.Rank(results).Take(5)];
        if (top.Length == 0)
        {
            cli.Console.WriteLine("no trial finished");
            return;
        }

        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{results.Count} trials finished; best of the search (one training seed; tuner recommend re-runs on fresh seeds):"));
        foreach (TrialResult r in top)
        {
            cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  trial {r.Number,4}  {Describe(r),-22} fidelity {r.Proposal.Fidelity:0.###}  {r.Proposal.Candidate.Configuration}"));
        }
    }

    /// <summary>One line per finished trial (CI logs).</summary>
    private sealed class PlainLines(CliContext cli) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value)
        {
            if (value.Last is not TrialResult last)
            {
                return;
            }

            string total = value.MaxTrials is int max ? $"/{max}" : string.Empty;
            string best = value.Best is TrialResult b ? $"best trial {b.Number} {Describe(b)}" : "best -";
            cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{value.Finished}{total}] trial {last.Number}: {Describe(last)} fidelity {last.Proposal.Fidelity:0.###} cost {last.CostSeconds:0.0}s | {best} | {Eta(value)}{(value.Workers is string w ? $" | {w}" : string.Empty)} | {last.Proposal.Candidate.Configuration}"));
        }
    }

    /// <summary>Drives the Spectre progress task (thread-safe).</summary>
    private sealed class Live(ProgressTask task) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value)
        {
            string best = value.Best is TrialResult b ? $"best {Describe(b)} (trial {b.Number})" : "best -";
            string current = value.CurrentNumber is int n
                ? string.Create(CultureInfo.InvariantCulture, $"trial {n}{(value.Training is { } t ? $" val {t.LastMetric:0.000} at {t.ChargedSeconds:0.0}s" : string.Empty)}")
                : string.Empty;
            task.Description = Markup.Escape($"{value.Finished}{(value.MaxTrials is int max ? $"/{max}" : string.Empty)} done | {best} | {Eta(value)} | {value.Workers ?? current}");
            if (value.MaxTrials is int m && m > 0)
            {
                task.Value = Math.Min(0.999, (double)value.Finished / m);
            }
            else if (value.Remaining is TimeSpan r && value.Elapsed + r > TimeSpan.Zero)
            {
                task.Value = Math.Min(0.999, value.Elapsed / (value.Elapsed + r));
            }
        }
    }
}
