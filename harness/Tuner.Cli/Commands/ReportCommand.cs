using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Budgets;
using Tuner.Core.Errors;
using Tuner.Core.Files;
using Tuner.Core.Regression;
using Tuner.Core.Trials;
using Tuner.Plots;
using Tuner.Reports.Html;
using Tuner.Reports.Nightly;
using Tuner.Reports.Profiles;
using Tuner.Search.Importance;
using Tuner.Search.Tuners;
using Tuner.Runner.Search;
using Tuner.Search.Space;
using Tuner.Storage;
using Tuner.Suites.Specs;
using static Tuner.Cli.Commands.NightlyCommand;
using Format = Tuner.Reports.Nightly.NightlyFormat;

namespace Tuner.Cli.Commands;

public sealed class ReportSettings : CommandSettings
{
    [CommandOption("--study <NAME>")]
    [Description("A nightly manifest's name (its history: CSVs, Markdown summary, accuracy and trend plots) or a search study's name (tuning report, importance, Pareto front, accuracy curves). Required.")]
    public string? Study { get; set; }

    [CommandOption("--night <NIGHT>")]
    [Description("Nightly only: which night, 'latest' or 'all' (each into its own folder). Default: latest.")]
    public string? Night { get; set; }

    [CommandOption("-o|--out <DIR>")]
    [Description("Output folder. Default: results/nightly/NIGHT for a night (results/nightly/ for --night all), results/reports/STUDY/ for a search study.")]
    public string? Out { get; set; }

    [CommandOption("--storage <PATH>")]
    [Description("Study store: a SQLite file or postgres://user:password@host:port/db. Default: results/studies.db.")]
    public string? Storage { get; set; }

    [CommandOption("--html")]
    [Description("Also write one self-contained HTML page (no network needed to view it): STUDY.html for a search study, nightly.html in each night's folder.")]
    public bool Html { get; set; }

    [CommandOption("--profile <STUDY>")]
    [Description("Performance profile across suites: repeat (or comma-separate) search studies, one per suite; writes profile.csv, profile-ratios.csv, profile.png and profile.html (instead of --study).")]
    public string[] Profile { get; set; } = [];

    [CommandOption("--profile-by <SOLVER>")]
    [Description("What a profile compares: technique (each technique, in whatever combination the study tried it) or combination (each exact set of techniques). Default: technique.")]
    [DefaultValue("technique")]
    public string ProfileBy { get; set; } = "technique";

    [CommandOption("-s|--suite <FILE>")]
    [Description("Search study on a suite file (a custom suite or a workload of your own): the file; the store keeps the suite's name only. Default: the built-in suite of that name.")]
    public string? Suite { get; set; }
}

[Description("Regenerate the reports and plots of a nightly history or a search study from the study store.")]
public sealed class ReportCommand(CliContext cli) : AsyncCommand<ReportSettings>
{
    /// <summary>Search study plots show at most this many configurations' curves (the best by the study's objective).</summary>
    private const int CurvesShown = 6;

    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        string[] profiled = [.. settings.Profile.SelectMany(p => p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
        if (settings.Profile.Length > 0 || settings.ProfileBy != "technique")
        {
            return await ProfileAsync(settings, profiled, cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(settings.Study))
        {
            throw new TunerInputException("missing --study: name a nightly manifest (e.g. nightly) or a search study (e.g. digits-mlp-smac), or give --profile STUDY ... for a performance profile");
        }

        if (settings.Out is not null)
        {
            _ = UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory);
        }

        await using IStudyStorage storage = await StudySetup.OpenExistingStorageAsync(settings.Storage, cli, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> nights = await NightlyAnalysis.ListNightsAsync(storage, settings.Study, cancellationToken).ConfigureAwait(false);
        if (nights.Count > 0)
        {
            return await NightlyAsync(storage, settings, nights, cancellationToken).ConfigureAwait(false);
        }

        StudyInfo? study = await storage.FindStudyAsync(settings.Study, cancellationToken).ConfigureAwait(false);
        if (study is null || study.Definition.Tuner == NightPlan.TunerName)
        {
            IReadOnlyList<StudyInfo> all = await storage.ListStudiesAsync(string.Empty, cancellationToken).ConfigureAwait(false);
            string known = string.Join(", ", all.Select(s => s.Definition.Tuner == NightPlan.TunerName ? s.Definition.Name.Split('/')[0] : s.Definition.Name).Distinct().TakeLast(8));
            throw new TunerInputException($"no study or nightly history named '{settings.Study}' in {storage}: {(known.Length == 0 ? "the store is empty" : "it has " + known)}");
        }

        if (settings.Night is not null)
        {
            throw new TunerInputException($"--night {settings.Night}: '{settings.Study}' is a search study, not a nightly history; drop --night");
        }

        await SearchStudyAsync(storage, study, settings, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Writes a night's files, prints its verdict (regressions on stderr), appends the Markdown to $GITHUB_STEP_SUMMARY when set; exit 7 on a regression.</summary>
    internal static int Publish(CliContext cli, NightReport report, string directory)
    {
        IReadOnlyList<string> files = NightlyOutputs.Write(report, directory);
        foreach (SuiteNight suite in report.Suites)
        {
            foreach (ConfigurationNight c in suite.Configurations)
            {
                MetricComparison time = c.Comparison.Metric(Metrics.TimeToTarget);
                string verdict = string.Join(", ", c.Comparison.Metrics.Where(m => m.Verdict is Verdict.Regression or Verdict.Improvement or Verdict.Noisy).Select(m => $"{m.Metric} {Word(m.Verdict)}"));
                cli.Console.WriteLine(Invariant(
                    $"{suite.Suite} {c.Label}: reached {c.Reached}/{c.Runs.Count}, median time to target {Format.Seconds(c.TimeToTarget.Estimate)}{(double.IsFinite(c.TimeToTarget.Estimate) ? " s" : string.Empty)}{(c.SpeedUpVsBaseline is { } s && double.IsFinite(s.Estimate) ? $", {s.Estimate:0.00}x the baseline" : string.Empty)}; vs history ({c.Comparison.HistoryRuns} runs, {c.Comparison.HistoryNights} nights): {Format.Percent(time.Change)}, p {Format.PText(time.PValue)} -> {(verdict.Length == 0 ? Word(time.Verdict) : verdict)}"));
            }
        }

        foreach ((SuiteNight suite, ConfigurationNight c, MetricComparison m) in report.Findings(Verdict.Improvement))
        {
            cli.Console.WriteLine(Invariant($"improvement: {suite.Suite} / {c.Label}: {m.Metric} {Format.Percent(m.Change)}, p = {Format.PText(m.PValue)}"));
        }

        foreach ((SuiteNight suite, ConfigurationNight c, MetricComparison m) in report.Findings(Verdict.Noisy))
        {
            cli.Error.WriteLine(Invariant($"tuner: warning: {suite.Suite} / {c.Label}: {m.Metric} {Format.Percent(m.Change)}: {m.Note}"));
        }

        string markdown = Path.Combine(directory, NightlyOutputs.MarkdownFile);
        cli.Console.WriteLine($"night {report.Night}: {string.Join(", ", files)} in {directory}");
        string? stepSummary = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (!string.IsNullOrEmpty(stepSummary))
        {
            File.AppendAllText(stepSummary, File.ReadAllText(markdown));
        }

        var regressions = report.Findings(Verdict.Regression).ToList();
        foreach ((SuiteNight suite, ConfigurationNight c, MetricComparison m) in regressions)
        {
            string interval = double.IsNaN(m.ChangeLow) ? string.Empty : Invariant($" (95% CI {Format.Percent(m.ChangeLow)} to {Format.Percent(m.ChangeHigh)})");
            cli.Error.WriteLine(Invariant($"tuner: REGRESSION {suite.Suite} / {c.Label}: {m.Metric} {(m.Metric == Metrics.ReachProbability ? Format.Points(m.Change) : Format.Percent(m.Change))}{interval}, p = {Format.PText(m.PValue)}, tonight {c.Comparison.TonightRuns} seeds vs {c.Comparison.HistoryRuns} runs over {c.Comparison.HistoryNights} night(s)"));
        }

        return regressions.Count > 0 ? ExitCodes.Regression : ExitCodes.Ok;
    }

    private async Task<int> NightlyAsync(IStudyStorage storage, ReportSettings settings, IReadOnlyList<string> nights, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> chosen = (settings.Night ?? "latest") switch
        {
            "all" => nights,
            "latest" => [nights[^1]],
            _ => [settings.Night!],
        };
        int exit = ExitCodes.Ok;
        var written = new List<NightReport>();
        foreach (string night in chosen)
        {
            NightReport report = await NightlyAnalysis.AnalyseAsync(storage, settings.Study!, night, cancellationToken).ConfigureAwait(false);
            string directory = settings.Out is null
                ? Path.Combine(cli.BaseDirectory, "results", "nightly", night)
                : chosen.Count > 1 ? Path.Combine(UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory), night) : UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory);
            exit = Math.Max(exit, Publish(cli, report, directory));
            if (settings.Html)
            {
                int index = nights.ToList().IndexOf(night);
                string page = Path.Combine(directory, NightlyPage.FileName);
                NightlyPage.Build(report, index > 0 ? nights[index - 1] : null, index >= 0 && index + 1 < nights.Count ? nights[index + 1] : null, linkIndex: chosen.Count > 1).Save(page);
                cli.Console.WriteLine($"html: {page}");
                written.Add(report);
            }
        }

        if (settings.Html && chosen.Count > 1)
        {
            // Every night's folder sits in one parent: the index goes there.
            string root = settings.Out is null ? Path.Combine(cli.BaseDirectory, "results", "nightly") : UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory);
            string indexPage = Path.Combine(root, NightlyIndexPage.FileName);
            NightlyIndexPage.Build(settings.Study!, written).Save(indexPage);
            cli.Console.WriteLine($"html: {indexPage}");
        }

        return exit;
    }

    /// <summary>
    /// The suite of a search study: <paramref name="suiteFile"/> when given (it must be the suite the study was made
    /// for), else the built-in suite of the stored name; a study on a suite file without <c>--suite</c> is one line
    /// saying so.
    /// </summary>
    internal static SuiteSpec StudySuite(StudyDefinition definition, string? suiteFile, string baseDirectory)
    {
        if (suiteFile is null)
        {
            if (!SuiteCatalog.Builtin().Any(s => s.Name == definition.Suite))
            {
                throw new Core.Errors.TunerInputException($"study '{definition.Name}' is on suite '{definition.Suite}', which is not built in (a suite file: the store keeps its name only): pass the file with --suite PATH");
            }

            return SuiteCatalog.Resolve(definition.Suite, baseDirectory);
        }

        SuiteSpec suite = SuiteCatalog.Resolve(suiteFile, baseDirectory);
        return suite.Name == definition.Suite ? suite
            : throw new Core.Errors.TunerInputException($"study '{definition.Name}' is for suite '{definition.Suite}', but --suite names '{suite.Name}'");
    }

    private async Task SearchStudyAsync(IStudyStorage storage, StudyInfo study, ReportSettings settings, CancellationToken cancellationToken)
    {
        StudyDefinition definition = study.Definition;
        SuiteSpec suite = StudySuite(definition, settings.Suite, cli.BaseDirectory);
        SearchSpace space = SearchSpaceFile.Parse(definition.SpaceJson, $"of study {definition.Name}", suite.Baseline, RegistryTechniqueCatalog.Instance);
        var session = new StudySession(study, space, definition.Budget, definition.TargetValue);
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(study.Id, cancellationToken).ConfigureAwait(false); // a damaged row fails here, before any file is written
        string directory = UserPaths.Folder(settings.Out ?? Path.Combine("results", "reports", StudySetup.Safe(definition.Name)), "--out", cli.BaseDirectory);
        Directory.CreateDirectory(directory);
        await StudyView.WriteReportAsync(cli, storage, session, Path.Combine(directory, StudySetup.Safe(definition.Name) + "-trials.csv"), cancellationToken).ConfigureAwait(false);

        List<StoredTrial> finished = [.. trials.Where(t => t.Record is { Steps: > 0 })];
        string metric = Tuner.Reports.Nightly.NightlyOutputs.ValidationMetric(definition.TargetMetric);

        // Trials stop at the target (MLPerf), so a front of training time against best accuracy degenerates to a line at
        // the target; these two views separate configurations instead. Trials the search stopped early (pruned,
        // capped) say nothing about when their configuration reaches the target and are left out of both.
        string ecdf = Path.Combine(directory, "ttt-ecdf.png");
        Charts.SaveXy(EcdfChart(definition, finished), ecdf);
        string samples = Path.Combine(directory, "samples-throughput.png");
        Charts.SaveXy(SamplesChart(definition, finished), samples);
        var best = finished
            .Select(t => (Trial: t, Score: session.ToResult(t) is { } r ? session.Objective.Score(r) : double.PositiveInfinity))
            .OrderBy(x => x.Score).ThenBy(x => x.Trial.Number).Take(CurvesShown).ToList();
        string curves = Path.Combine(directory, "accuracy.png");
        Charts.SaveAccuracyCurves(new AccuracyCurveChart(
            $"{definition.Name}: {definition.TargetMetric} of the {best.Count} best trials",
            metric,
            definition.TargetValue,
            [.. best.Select(b => new CurveSeries(Label(b.Trial), [new CurveRun(b.Trial.Plan.Seed, [.. b.Trial.Record!.Curve.Select(p => new CurvePoint(p.TrainSeconds, p.Metric))])]))]), curves);
        cli.Console.WriteLine($"plots: {ecdf}, {samples}, {curves}");
        if (settings.Html)
        {
            string page = Path.Combine(directory, StudySetup.Safe(definition.Name) + ".html");
            TrialResult[] results = [.. trials.Select(session.ToResult).OfType<TrialResult>()];
            StudyPage.Build(new StudyPageData
            {
                Definition = definition,
                Store = storage.ToString() ?? string.Empty,
                Trials = trials,
                Score = t => session.ToResult(t) is TrialResult r ? session.Objective.Score(r) : null,
                Importance = TechniqueImportance.Analyse(space, results, session.Objective),
                Recommendation = await RecordedRecommendationAsync(storage, definition, suite, space, cancellationToken).ConfigureAwait(false),
                Baseline = suite.Baseline,
            }).Save(page);
            cli.Console.WriteLine($"html: {page}");
        }
    }

    /// <summary>The ECDF of time-to-target per technique combination (the six most tried), censored trials as hollow markers at the top of their curve.</summary>
    private static XyChart EcdfChart(StudyDefinition definition, List<StoredTrial> finished)
    {
        IReadOnlyList<EcdfCurve> curves = StudyViews.Ecdf(finished);
        var series = new List<XySeries>();
        for (int k = 0; k < curves.Count; k++)
        {
            EcdfCurve c = curves[k];
            series.Add(new XySeries(Invariant($"{c.Label} ({c.Times.Count}/{c.Runs})"), c.Steps(), XyStyle.Step, k));
            series.Add(new XySeries(string.Empty, [.. c.Censored.Select(x => (x.Seconds, c.Top))], XyStyle.HollowPoints, k));
        }

        return new XyChart($"{definition.Name}: time-to-target ECDF by technique combination (hollow: not reached)", "time-to-target (s)", "share of trials that reached the target", series)
        {
            XLog10 = true,
            YRange = (-0.02, 1.04),
        };
    }

    /// <summary>Samples to target against throughput of every trial that reached the target, with the best trial's time as a dashed line.</summary>
    private static XyChart SamplesChart(StudyDefinition definition, List<StoredTrial> finished)
    {
        IReadOnlyList<StoredTrial> hit = StudyViews.Reached(finished);
        IReadOnlyList<string> top = StudyViews.TopCombinations(hit);
        static (double, double) Point(StoredTrial t) => (t.Record!.SamplesPerSecond, t.Record.SamplesToTarget!.Value);
        var series = new List<XySeries>();
        for (int k = 0; k < top.Count; k++)
        {
            series.Add(new XySeries(top[k], [.. hit.Where(t => StudyViews.Combination(t.Record!.Configuration) == top[k]).Select(Point)], XyStyle.Points, k));
        }

        StoredTrial[] others = [.. hit.Where(t => !top.Contains(StudyViews.Combination(t.Record!.Configuration)))];
        series.Add(new XySeries(others.Length > 0 ? "other combinations" : string.Empty, [.. others.Select(Point)], XyStyle.Points, -1));
        if (StudyViews.BestTimeLine(hit) is (double best, double lo, double hi))
        {
            series.Add(new XySeries(Invariant($"time = {best:0.00} s (best)"), [(lo, best * lo), (hi, best * hi)], XyStyle.Dashed, 6));
        }

        return new XyChart($"{definition.Name}: samples to target against throughput ({hit.Count} trials that reached it)", "throughput (samples/s)", "samples to target", series)
        {
            XLog10 = true,
            YLog10 = true,
        };
    }

    /// <summary>
    /// The recommendation recorded for a study: its <c>NAME@validate</c> runs grouped by configuration (the suite's
    /// baseline and the candidates, in the order they were first run), summarised and chosen by the same rule as
    /// <c>tuner recommend</c>; null when the study has no validation runs with the baseline.
    /// </summary>
    private static async Task<RecommendationView?> RecordedRecommendationAsync(IStudyStorage storage, StudyDefinition definition, SuiteSpec suite, SearchSpace space, CancellationToken cancellationToken)
    {
        if (await storage.FindStudyAsync(definition.Name + Recommender.ValidationSuffix, cancellationToken).ConfigureAwait(false) is not StudyInfo validation)
        {
            return null;
        }

        StoredTrial[] runs = [.. (await storage.GetTrialsAsync(validation.Id, cancellationToken).ConfigureAwait(false)).Where(t => t.State == TrialState.Finished && t.Record is not null)];
        string baseline = suite.Baseline.ToString();
        TrialRecord[] baselineRuns = [.. runs.Where(t => t.Plan.Configuration.ToString() == baseline).Select(t => t.Record!)];
        if (baselineRuns.Length == 0)
        {
            return null;
        }

        var validated = new List<Tuner.Search.Recommendations.ValidatedCandidate> { Tuner.Search.Recommendations.CandidateChoice.Summarise("baseline", null, suite.Baseline, baselineRuns, null) };
        foreach (IGrouping<string, StoredTrial> group in runs.Where(t => t.Plan.Configuration.ToString() != baseline).GroupBy(t => t.Plan.Configuration.ToString()))
        {
            validated.Add(Tuner.Search.Recommendations.CandidateChoice.Summarise($"candidate {validated.Count}", null, group.First().Plan.Configuration, [.. group.Select(t => t.Record!)], baselineRuns));
        }

        (Tuner.Search.Recommendations.ValidatedCandidate? chosen, string reason) = Tuner.Search.Recommendations.CandidateChoice.Choose(validated, new RecommendOptions().TieTolerance);
        long firstSeed = runs.Min(t => t.Plan.Seed);
        var search = new SearchOptions
        {
            StudyName = definition.Name,
            Suite = suite,
            Space = space,
            Tuner = definition.Tuner,
            Budget = definition.Budget,
            TargetValue = definition.TargetValue == suite.Target.Value ? null : definition.TargetValue,
            Host = Runner.TrialHost.Default with { Threads = baselineRuns[0].Environment.TorchThreads },
        };
        return new RecommendationView(validated, chosen, reason, chosen is null ? null : Recommender.Command(search, chosen, firstSeed), firstSeed);
    }

    /// <summary>A performance profile of search studies, one per suite (at least two; three or more to say much).</summary>
    private async Task<int> ProfileAsync(ReportSettings settings, string[] studies, CancellationToken cancellationToken)
    {
        if (settings.Study is not null || settings.Night is not null || settings.Html)
        {
            throw new TunerInputException("--profile makes a performance profile of several studies (its page is always written): drop --study, --night and --html");
        }

        ProfileSolver by = settings.ProfileBy.Trim().ToLowerInvariant() switch
        {
            "technique" => ProfileSolver.Technique,
            "combination" => ProfileSolver.Combination,
            _ => throw new TunerInputException($"--profile-by '{settings.ProfileBy}' is unknown: use technique or combination"),
        };
        if (studies.Length < 2 || studies.Distinct(StringComparer.Ordinal).Count() != studies.Length)
        {
            throw new TunerInputException($"--profile needs at least two different search studies, one per suite (three or more to say much), e.g. --profile digits-mlp-smac --profile digits-cnn-smac --profile fashion-mlp-smac; got {studies.Length}");
        }

        string directory = UserPaths.Folder(settings.Out ?? Path.Combine("results", "reports", "profile"), "--out", cli.BaseDirectory);
        await using IStudyStorage storage = await StudySetup.OpenExistingStorageAsync(settings.Storage, cli, cancellationToken).ConfigureAwait(false);
        var loaded = new List<(StudyDefinition, IReadOnlyList<StoredTrial>)>();
        foreach (string name in studies)
        {
            StudyInfo study = await storage.FindStudyAsync(name, cancellationToken).ConfigureAwait(false) is StudyInfo found && found.Definition.Tuner != NightPlan.TunerName
                ? found
                : throw new TunerInputException($"--profile {name}: no search study of that name in {storage}");
            loaded.Add((study.Definition, await storage.GetTrialsAsync(study.Id, cancellationToken).ConfigureAwait(false)));
        }

        PerformanceProfile profile = PerformanceProfile.FromStudies(loaded, by);
        if (profile.Solvers.Count == 0)
        {
            throw new TunerInputException($"--profile: no {(by == ProfileSolver.Technique ? "technique" : "combination")} was tried in every one of {string.Join(", ", studies)}: profile studies that searched overlapping spaces");
        }

        IReadOnlyList<string> files = ProfileOutputs.Write(profile, directory);
        foreach (string solver in ProfileOutputs.Ordered(profile).Take(10))
        {
            cli.Console.WriteLine(Invariant($"  {solver,-28} wins {profile.Fraction(solver, 1):P0} of suites, within 2x on {profile.Fraction(solver, 2):P0}, reached on {profile.Solved(solver):P0}"));
        }

        if (profile.Excluded.Count > 0)
        {
            cli.Console.WriteLine($"not profiled (not tried on every suite): {string.Join(", ", profile.Excluded.Keys)}");
        }

        cli.Console.WriteLine($"performance profile of {profile.Solvers.Count} {(by == ProfileSolver.Technique ? "techniques" : "combinations")} over {studies.Length} suites: {string.Join(", ", files)} in {directory}");
        return ExitCodes.Ok;
    }

    private static string Label(StoredTrial trial)
    {
        TrialRecord record = trial.Record!;
        string techniques = string.Join("+", record.Configuration.Techniques.Select(t => t.Name));
        return Invariant($"#{trial.Number} lr {record.Configuration.LearningRate:0.###}{(techniques.Length == 0 ? string.Empty : " " + techniques)}");
    }

    private static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Regression => "REGRESSION",
        Verdict.Improvement => "improvement",
        Verdict.Noisy => "noisy",
        Verdict.NoHistory => "no history",
        _ => "unchanged",
    };
}
