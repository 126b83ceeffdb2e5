using Tuner.Core.Files;
using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Regression;
using Tuner.Core.Trials;
using Tuner.Reports.Nightly;
using Tuner.Runner;
using Tuner.Runner.Nightly;
using Tuner.Storage;

namespace Tuner.Cli.Commands;

public sealed class NightlySettings : CommandSettings
{
    [CommandOption("-m|--manifest <FILE>")]
    [Description("Nightly manifest JSON (suites, baseline recipes, tracked configurations, seeds, budgets). Default: suites/nightly.json.")]
    public string Manifest { get; set; } = Path.Combine("suites", "nightly.json");

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for the night's CSVs, Markdown summary and plots. Default: results/nightly/NIGHT.")]
    public string? Out { get; set; }

    [CommandOption("--storage <PATH>")]
    [Description("Study store keeping the history: a SQLite file or postgres://user:password@host:port/db. Default: results/studies.db.")]
    public string? Storage { get; set; }

    [CommandOption("--inject-slowdown <LABEL=FACTOR>")]
    [Description("Test the detector: every step of that configuration (LABEL, SUITE/LABEL or *) really takes FACTOR times as long. Such a night never becomes history. Repeatable.")]
    public string[] InjectSlowdown { get; set; } = [];

    [CommandOption("--dry-run")]
    [Description("Validate the plan (data, models, techniques; two steps per configuration) and print it, without running the night.")]
    public bool DryRun { get; set; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Data cache folder. Default: $TUNER_DATA_DIR, else $XDG_CACHE_HOME/tuner/data, else ~/.cache/tuner/data.")]
    public string? DataDir { get; set; }
}

[Description("Run the nightly benchmark manifest, append it to the history in the study store, and flag regressions against that history.")]
public sealed class NightlyCommand(CliContext cli) : AsyncCommand<NightlySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, NightlySettings settings, CancellationToken cancellationToken)
    {
        NightlyManifest manifest = NightlyManifest.Load(UserPaths.Full(settings.Manifest, "--manifest", cli.BaseDirectory));
        CommandChecks.Threads(manifest.Threads, oversubscribe: false, $"the manifest's \"threads\"");
        var options = new NightlyOptions
        {
            DataDirectory = CommandChecks.DataDirectory(settings.DataDir, cli.BaseDirectory),
            Slowdowns = [.. settings.InjectSlowdown.Select(SlowdownRule.Parse)],
            CreatedBy = "tuner nightly --manifest " + settings.Manifest + string.Concat(settings.InjectSlowdown.Select(s => " --inject-slowdown " + s)),
        };
        string? outDirectory = settings.Out is null ? null : UserPaths.Folder(settings.Out, "--out", cli.BaseDirectory);
        _ = StudySetup.StoragePath(settings.Storage, cli.BaseDirectory);
        using var trials = new InProcessTrialRunner(log: new LineProgress(cli));
        TimeSpan? worst = manifest.WorstCase;
        cli.Console.WriteLine(Invariant(
            $"nightly '{manifest.Name}' ({settings.Manifest}): {manifest.Suites.Count} suite(s), {manifest.TrialCount} trials{(worst is TimeSpan w ? $", at most {Minutes(w)} of training" : string.Empty)}, {manifest.Threads} torch thread(s)"));
        foreach (NightlySuite suite in manifest.Suites)
        {
            cli.Console.WriteLine(Invariant($"  {suite.Suite.Name}: budget {suite.Budget}, target {suite.Suite.Target}, seeds {string.Join(" ", suite.Seeds)}"));
            foreach (TrackedConfiguration c in suite.Configurations)
            {
                double slowdown = options.Slowdowns.LastOrDefault(r => r.Matches(suite.Suite.Name, c.Label))?.Factor ?? 1.0;
                cli.Console.WriteLine(Invariant($"    {c.Label}: {c.Configuration}{(slowdown > 1 ? $"  [slowdown x{slowdown} injected]" : string.Empty)}"));
            }
        }

        cli.Console.WriteLine("validating: data, models and techniques (every configuration trains two steps)");
        await NightlyRunner.ValidateAsync(trials, manifest, options, cancellationToken).ConfigureAwait(false);
        cli.Console.WriteLine("plan valid");
        if (settings.DryRun)
        {
            return ExitCodes.Ok; // a dry run opens no store and writes nothing
        }

        await using IStudyStorage storage = await StudySetup.OpenStorageAsync(settings.Storage, cli, cancellationToken).ConfigureAwait(false);
        var runner = new NightlyRunner(storage, trials);
        cli.Console.WriteLine($"history in {storage}");

        var progress = new SynchronousProgress<NightlyProgress>(p =>
        {
            if (p.Record is TrialRecord r)
            {
                string outcome = r.Status == TrialStatus.Reached
                    ? Invariant($"reached in {r.TimeToTargetSeconds:0.00} s")
                    : Invariant($"{r.Status.ToString().ToLowerInvariant()} after {r.TrainSeconds:0.00} s{(r.FailureReason is null ? string.Empty : ": " + r.FailureReason)}");
                cli.Console.WriteLine(Invariant($"[{p.Done}/{p.Total}] {p.Suite} {p.Label} seed {p.Seed}: {outcome}, {r.SamplesPerSecond:0} samples/s"));
            }
        });
        string night = await runner.RunAsync(manifest, options, progress, cancellationToken).ConfigureAwait(false);
        NightReport report = await NightlyAnalysis.AnalyseAsync(storage, manifest.Name, night, cancellationToken).ConfigureAwait(false);
        string directory = outDirectory ?? UserPaths.Folder(Path.Combine("results", "nightly", night), "--out", cli.BaseDirectory);
        return ReportCommand.Publish(cli, report, directory);
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? Invariant($"{(int)span.TotalMinutes}m {span.Seconds}s") : Invariant($"{span.TotalSeconds:0}s");

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
