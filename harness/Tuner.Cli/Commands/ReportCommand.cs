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
using Tuner.Reports.Nightly;
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
        if (string.IsNullOrWhiteSpace(settings.Study))
        {
            throw new TunerInputException("missing --study: name a nightly manifest (e.g. nightly) or a search study (e.g. digits-mlp-smac)");
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
        foreach (string night in chosen)
        {
            NightReport report = await NightlyAnalysis.AnalyseAsync(storage, settings.Study!, night, cancellationToken).ConfigureAwait(false);
            string directory = settings.Out is null
                ? Path.Combine(cli.BaseDirectory, "results", "nightly", night)
                : chosen.Count > 1 ? Path.Combine(UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory), night) : UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory);
            exit = Math.Max(exit, Publish(cli, report, directory));
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

        // Trials the search stopped early (pruned, capped, a low fidelity) say nothing about what their configuration
        // reaches; on a time-accuracy front they would all sit at "fast and poor". The front uses trials that ran to
        // the target or to the end of the budget.
        var points = finished.Where(t => t.Record!.Status is TrialStatus.Reached or TrialStatus.NotReached)
            .Select(t => new ParetoPoint(Label(t), t.Record!.TrainSeconds, t.Record.BestMetric ?? double.NaN, t.Record.Status == TrialStatus.Reached))
            .Where(p => double.IsFinite(p.Metric)).ToList();
        int stoppedEarly = finished.Count(t => t.Record!.Status == TrialStatus.Pruned);
        string pareto = Path.Combine(directory, "pareto.png");
        Charts.SaveParetoFront(new ParetoChart(
            $"{definition.Name}: training time against best {definition.TargetMetric} ({points.Count} trials{(stoppedEarly > 0 ? $"; {stoppedEarly} stopped early not shown" : string.Empty)})",
            metric,
            definition.TargetValue,
            points) { LowerIsBetter = Tuner.Core.Trials.TargetMetrics.LowerIsBetter(definition.TargetMetric) }, pareto);

        var best = finished
            .Select(t => (Trial: t, Score: session.ToResult(t) is { } r ? session.Objective.Score(r) : double.PositiveInfinity))
            .OrderBy(x => x.Score).ThenBy(x => x.Trial.Number).Take(CurvesShown).ToList();
        string curves = Path.Combine(directory, "accuracy.png");
        Charts.SaveAccuracyCurves(new AccuracyCurveChart(
            $"{definition.Name}: {definition.TargetMetric} of the {best.Count} best trials",
            metric,
            definition.TargetValue,
            [.. best.Select(b => new CurveSeries(Label(b.Trial), [new CurveRun(b.Trial.Plan.Seed, [.. b.Trial.Record!.Curve.Select(p => new CurvePoint(p.TrainSeconds, p.Metric))])]))]), curves);
        cli.Console.WriteLine($"plots: {pareto}, {curves}");
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
