using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Errors;
using Tuner.Core.Files;
using Tuner.Reports;
using Tuner.Runner;
using Tuner.Runner.Search;
using Tuner.Search.Recommendations;
using Tuner.Search.Tuners;
using Tuner.Storage;

namespace Tuner.Cli.Commands;

public sealed class RecommendSettings : StudySettings
{
    [CommandOption("--candidates <N>")]
    [Description("How many of the search's best configurations are re-run on fresh seeds. Default: 3.")]
    [DefaultValue(3)]
    public int Candidates { get; set; } = 3;

    [CommandOption("--min-seeds <N>")]
    [Description("Fresh seeds per configuration, at least 3. Default: 3.")]
    [DefaultValue(3)]
    public int MinSeeds { get; set; } = 3;

    [CommandOption("--max-seeds <N>")]
    [Description("More seeds are added up to N while the interval is wide. Default: 8.")]
    [DefaultValue(8)]
    public int MaxSeeds { get; set; } = 8;

    [CommandOption("--first-seed <N>")]
    [Description("Fresh seeds are N, N+1, ... (never the search's training seed). Default: 1000.")]
    [DefaultValue(1000L)]
    public long FirstSeed { get; set; } = 1000;

    [CommandOption("-o|--out <CSV>")]
    [Description("Recommendation CSV to write. Default: results/reports/STUDY-recommendation.csv.")]
    public string? Out { get; set; }
}

[Description("Search (or reuse the study), re-run the best on fresh seeds, and recommend the fastest configuration with a confidence interval.")]
public sealed class RecommendCommand(CliContext cli) : AsyncCommand<RecommendSettings>
{
    /// <summary>Share of --time given to the search; the rest validates on fresh seeds.</summary>
    public const double SearchShare = 0.6;

    public override async Task<int> ExecuteAsync(CommandContext context, RecommendSettings settings, CancellationToken cancellationToken)
    {
        if (settings.MinSeeds < 3 || settings.MaxSeeds < settings.MinSeeds || settings.MaxSeeds > 1000 || settings.Candidates is < 1 or > 100)
        {
            throw new TunerInputException("--min-seeds must be >= 3, --max-seeds from --min-seeds to 1000 and --candidates from 1 to 100");
        }

        CommandChecks.Seed(settings.FirstSeed, "--first-seed", settings.MaxSeeds);
        if (settings.FirstSeed <= settings.TrainingSeed && settings.TrainingSeed < settings.FirstSeed + settings.MaxSeeds)
        {
            throw new TunerInputException(
                $"--first-seed {settings.FirstSeed}: the validation seeds {settings.FirstSeed}..{settings.FirstSeed + settings.MaxSeeds - 1} include the search's training seed {settings.TrainingSeed}; validation must use fresh seeds: give a --first-seed above {settings.TrainingSeed} (the default is 1000)");
        }

        SearchOptions probe = StudySetup.Options(settings, null, "tuner recommend", cli.BaseDirectory);
        string? outPath = settings.Out is null ? null : UserPaths.File(settings.Out, "--out", cli.BaseDirectory);
        TimeSpan total = StudySetup.Duration(settings.Time, "--time") ?? DefaultTime(probe);
        long started = TimeProvider.System.GetTimestamp();
        SearchOptions options = probe with { TimeLimit = total * SearchShare, StartedTimestamp = started };
        ClusterLaunch? cluster = ClusterLaunch.Plan(settings, options, cli.BaseDirectory);
        options = cluster?.Options ?? options;

        using var runner = new InProcessTrialRunner(log: new LineProgress(cli));
        await runner.PrepareAsync(TrialRequest.Baseline(options.Suite, options.Budget, options.Host), cancellationToken).ConfigureAwait(false);
        await using IStudyStorage storage = await StudySetup.OpenStorageAsync(settings, cli, cancellationToken).ConfigureAwait(false); // after the data: bad data creates no store
        ITrialRunner trials = StudySetup.Runner(settings, cli, runner);
        var studyRunner = new StudyRunner(storage, trials);
        StudySession session = await studyRunner.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recommend for suite {options.Suite.Name}: target {options.Suite.Target with { Value = session.Objective.TargetValue }}, budget {options.Budget}, time {Minutes(total)} ({Minutes(options.TimeLimit!.Value)} search with {options.Tuner}, then validation on fresh seeds), study {options.StudyName}"));

        try
        {
            _ = cluster is null
                ? await StudyView.RunAsync(cli, progress => studyRunner.RunAsync(options, progress, cancellationToken)).ConfigureAwait(false)
                : await cluster.RunAsync(cli, storage, studyRunner, session, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await StudyView.WriteReportAsync(cli, storage, session, StudySetup.ReportPath(settings, cli.BaseDirectory, options.StudyName, "trials"), CancellationToken.None).ConfigureAwait(false);
        }

        await StudyView.CheckOutcomeAsync(storage, session, options, cancellationToken).ConfigureAwait(false);
        TimeSpan left = total - TimeProvider.System.GetElapsedTime(started);
        var recommendOptions = new RecommendOptions
        {
            Candidates = settings.Candidates,
            MinSeeds = settings.MinSeeds,
            MaxSeeds = settings.MaxSeeds,
            FirstSeed = settings.FirstSeed,
            TimeLimit = left > TimeSpan.Zero ? left : TimeSpan.Zero,
        };
        cli.Console.WriteLine($"validating the best {settings.Candidates} configurations and the baseline on fresh seeds {settings.FirstSeed}..:");
        Func<CancellationToken, Task<IWorkerPool>>? remote = cluster is null
            ? null
            : ct => cluster.StartValidationAsync(cli, (settings.Candidates + 1) * settings.MinSeeds, ct);
        Recommendation recommendation = await new Recommender(storage, trials, remoteWorkers: remote).RecommendAsync(options, recommendOptions, new LineProgress(cli), cancellationToken).ConfigureAwait(false);
        string csv = outPath ?? StudySetup.ReportPath(settings, cli.BaseDirectory, options.StudyName, "recommendation");
        RecommendationCsv.Write(csv, recommendation, v => Recommender.Command(options, v, settings.FirstSeed));
        Print(recommendation, options, csv);
        return recommendation.Chosen is null ? ExitCodes.TargetNotReached : ExitCodes.Ok;
    }

    /// <summary>Without --time: twenty full budgets of a wall-clock suite, at least 2 and at most 30 minutes.</summary>
    public static TimeSpan DefaultTime(SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double seconds = options.Budget.Unit == Core.Budgets.BudgetUnit.WallClock ? options.Budget.Amount * 20 : 600;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 120, 1800));
    }

    /// <summary>What to change relative to the suite's baseline recipe: techniques to switch on and recipe values.</summary>
    private static string Describe(ValidatedCandidate c, SearchOptions options)
    {
        if (c.Label == CandidateChoice.BaselineLabel)
        {
            return "keep the suite's baseline recipe (no configuration was faster)";
        }

        string[] baseline = [.. options.Suite.Baseline.ToSetArguments()];
        string[] changed = [.. c.Configuration.ToSetArguments().Where(a => !baseline.Contains(a))];
        string techniques = c.TechniqueCount == 0 ? "no techniques" : "techniques " + string.Join(" ", c.Configuration.Techniques);
        return changed.Length == 0 ? techniques : $"{techniques}; recipe {string.Join(" ", changed)} (baseline: {string.Join(" ", baseline.Where(b => changed.Any(x => x.Split('=')[0] == b.Split('=')[0])))})";
    }

    private static string Minutes(TimeSpan t) => t.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0}s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0.#}m");

    private void Print(Recommendation r, SearchOptions options, string csv)
    {
        static string S(double v) => double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) + "s" : "not reached";
        static string X(double? v) => v is double d && double.IsFinite(d) ? d.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
        static string M(double? v) => v is double d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        var console = cli.Console;
        console.WriteLine();
        foreach (ValidatedCandidate v in r.Validated)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {v.Label,-12} median {S(v.TimeToTarget.Estimate),-12} 95% CI [{S(v.TimeToTarget.Low)}, {S(v.TimeToTarget.High)}]  reached {v.Runs.Count(x => x.Status == Core.Trials.TrialStatus.Reached)}/{v.Runs.Count}  speed-up {X(v.SpeedUp?.Estimate)} [{X(v.SpeedUp?.Low)}, {X(v.SpeedUp?.High)}]  {(v.TechniqueCount == 0 ? "no techniques" : string.Join(" ", v.Configuration.Techniques))}"));
        }

        console.WriteLine();
        if (r.Chosen is not ValidatedCandidate c)
        {
            string best = r.BestSearchTrial is TrialResult b
                ? string.Create(CultureInfo.InvariantCulture, $"best found: trial {b.Number}, {StudyView.Describe(b)}: {b.Proposal.Candidate.Configuration}")
                : "no trial finished";
            console.WriteLine($"no recommendation: {r.Reason}. {best}");
            console.WriteLine("try a longer --budget, a lower --target, or more --time");
            console.WriteLine($"recommendation CSV: {csv}");
            return;
        }

        var rows = new List<(string, string)>
        {
            ("recommendation", Describe(c, options)),
            ("configuration", c.Configuration.ToString()),
            ("why", r.Reason),
            ("time-to-target", string.Create(CultureInfo.InvariantCulture, $"median {S(c.TimeToTarget.Estimate)}, 95% CI [{S(c.TimeToTarget.Low)}, {S(c.TimeToTarget.High)}] over {c.Runs.Count} fresh seeds")),
            ("reached target", string.Create(CultureInfo.InvariantCulture, $"{c.ReachShare:P0} of seeds ({r.Target} on validation)")),
            ("metrics", string.Create(CultureInfo.InvariantCulture, $"median validation {M(c.MedianValidationMetric)}, median test {M(c.MedianTestMetric)} (test: evaluated once at the end of each run, never used to choose)")),
            ("speed-up", c.SpeedUp is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"{X(s.Estimate)} over the baseline (median {S(r.Baseline.TimeToTarget.Estimate)}), 95% CI [{X(s.Low)}, {X(s.High)}]{(s.IsFaster ? string.Empty : " - not significant")}")
                : "1.00x (it is the baseline)"),
            ("search", string.Create(CultureInfo.InvariantCulture, $"{r.SearchTrials} trials in study {r.Study} ({options.Tuner})")),
            ("reproduce", r.Command ?? string.Empty),
            ("recommendation CSV", csv),
        };
        if (c.TestFallsShortOf(r.Target))
        {
            rows.Insert(5, ("warning", string.Create(CultureInfo.InvariantCulture,
                $"the median test metric {M(c.MedianTestMetric)} falls clearly short of the target {r.Target.Value:0.####} ({(r.Target.LowerIsBetter ? "a loss more than 5% above it" : "more than two standard errors of the test split")}): the target is met on validation only (the baseline's median test metric: {M(r.Baseline.MedianTestMetric)}; a gap the baseline shares is the splits', not the search's)")));
        }

        if (cli.Interactive)
        {
            var table = new Table().HideHeaders().AddColumns("field", "value");
            foreach ((string field, string value) in rows)
            {
                table.AddRow(Markup.Escape(field), Markup.Escape(value));
            }

            console.Write(table);
        }
        else
        {
            foreach ((string field, string value) in rows)
            {
                console.WriteLine($"{field + ":",-20} {value}");
            }
        }
    }
}
