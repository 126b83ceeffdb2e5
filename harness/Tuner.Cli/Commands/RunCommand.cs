using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Runner;
using Tuner.Suites.Specs;
using Tuner.Techniques;
using Tuner.Training.Engine;

namespace Tuner.Cli.Commands;

[Description("Train one configuration of a suite for real under a budget and report time-to-target.")]
public sealed class RunCommand(CliContext cli) : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        TrialRequest request = BuildRequest(settings, cli.BaseDirectory);
        string recordPath = JsonLinesRecordWriter.ResolvePath(settings.Out, cli.BaseDirectory);
        using var runner = new InProcessTrialRunner(log: new LineProgress(cli));
        await runner.PrepareAsync(request, cancellationToken).ConfigureAwait(false);

        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"suite {request.Suite.Name}: target {request.Suite.Target with { Value = request.TargetValue ?? request.Suite.Target.Value }}, budget {request.Budget}, seed {request.Seed}, device {request.Host.Device}, threads {request.Host.Threads?.ToString(CultureInfo.InvariantCulture) ?? "all"}"));
        cli.Console.WriteLine($"configuration: {request.Configuration}");
        if (RateNote(request.Suite, request.Configuration, settings.Set) is string note)
        {
            cli.Console.WriteLine(note);
        }

        TrialRecord record;
        if (cli.Interactive)
        {
            record = await cli.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progressContext =>
                {
                    ProgressTask task = progressContext.AddTask("training", maxValue: 1.0);
                    var progress = new ProgressBar(task, request.Suite.Target);
                    TrialRecord result = await runner.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    task.StopTask();
                    return result;
                }).ConfigureAwait(false);
        }
        else
        {
            record = await runner.RunAsync(request, new PlainLines(cli, TimeProvider.System, request.Suite.Target), cancellationToken).ConfigureAwait(false);
        }

        var writer = new JsonLinesRecordWriter(recordPath);
        await writer.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
        PrintSummary(record, recordPath);
        return record.Status switch
        {
            TrialStatus.Reached => ExitCodes.Ok,
            TrialStatus.NotReached => ExitCodes.TargetNotReached,
            TrialStatus.Diverged => ExitCodes.Diverged,
            TrialStatus.OverMemory => ExitCodes.OverMemory,
            _ => ExitCodes.TrialFailed,
        };
    }

    internal static TrialRequest BuildRequest(RunSettings settings, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(settings.Suite))
        {
            throw new TunerInputException("missing --suite: name a built-in suite (tuner list suites) or a suite JSON file, e.g. tuner run --suite digits-mlp");
        }

        SuiteSpec suite = SuiteCatalog.Resolve(settings.Suite, baseDirectory);
        Budget budget = settings.Budget is null ? suite.DefaultBudget : Budget.Parse(settings.Budget);
        TrainingConfiguration configuration = ConfigurationOverrides.Apply(suite.Baseline, settings.Set);
        configuration = configuration with { Techniques = TechniqueRegistry.Canonical(settings.Technique.Select(TechniqueRegistry.Parse)) };
        TechniqueRegistry.Validate(configuration.Techniques, suite.Facts, suite.Name);
        string? dataDirectory = CommandChecks.DataDirectory(settings.DataDir, baseDirectory);

        CommandChecks.Seed(settings.Seed, "--seed");

        return new TrialRequest
        {
            Suite = suite,
            Configuration = configuration,
            Budget = budget,
            Seed = settings.Seed,
            Host = new TrialHost { Device = settings.Device, Threads = settings.TrainingThreads, DataDirectory = dataDirectory, MemoryLimitBytes = settings.MemoryLimitBytes },
            TargetValue = settings.TargetFor(suite),
        };
    }

    /// <summary>A note when the optimizer was switched but the rate was not: the suite's rate was chosen for its own optimizer.</summary>
    internal static string? RateNote(SuiteSpec suite, TrainingConfiguration configuration, IEnumerable<string> assignments)
    {
        bool rateGiven = assignments.Any(a => a.TrimStart().StartsWith("lr=", StringComparison.OrdinalIgnoreCase) || a.TrimStart().StartsWith("learning_rate=", StringComparison.OrdinalIgnoreCase));
        double? typical = OptimizerCatalog.Find(configuration.Optimizer)?.TypicalLearningRate;
        return rateGiven || configuration.Optimizer == suite.Baseline.Optimizer || typical is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"note: lr {configuration.LearningRate:R} is the suite's rate for {suite.Baseline.Optimizer}; {configuration.Optimizer} usually trains at about {typical:R} (--set lr={typical:R}); see tuner list optimizers");
    }

    private static string Rows(string format, long? rows) => rows is long n ? string.Format(CultureInfo.InvariantCulture, format, n) : string.Empty;

    private void PrintSummary(TrialRecord r, string recordPath)
    {
        static string F(double? v, string format) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "-";
        var rows = new List<(string, string)>
        {
            ("status", r.Status.ToString()),
            ("time-to-target", r.TimeToTargetSeconds is double t
                ? string.Create(CultureInfo.InvariantCulture, $"{t:0.00} s (step {r.StepsToTarget}, {r.SamplesToTarget} samples)")
                : string.Create(CultureInfo.InvariantCulture, $"not reached (censored at {r.CensoredAtSeconds:0.00} s)")),
            ("target", r.Target + " on validation"),
            ("best metric", F(r.BestMetric, "0.0000") + Rows(" (validation, {0} rows)", r.ValidationRows)),
            ("final metric", F(r.FinalMetric, "0.0000") + " (validation)"),
            ("test metric", F(r.TestMetric, "0.0000") + Rows(" (test, {0} rows, evaluated once at the end; never used to choose)", r.TestRows)),
            ("steps", r.Steps.ToString(CultureInfo.InvariantCulture)),
            ("samples", string.Create(CultureInfo.InvariantCulture, $"{r.Samples} ({r.Epochs:0.00} epochs)")),
            ("training seconds", F(r.TrainSeconds, "0.00")),
            ("evaluation seconds", F(r.EvalSeconds, "0.00") + " (not charged)"),
            ("samples/s", F(r.SamplesPerSecond, "0") + " (samples / training seconds)"),
            ("throughput", r.ThroughputSamplesPerSecond is double steady
                ? string.Create(CultureInfo.InvariantCulture, $"{steady:0} samples/s steady (median of {r.ThroughputWindows} windows of >= 25 ms){(r.SamplesToTarget is long s ? $"; samples-to-target / throughput = {s / steady:0.00} s" : string.Empty)}")
                : "- (run too short for 3 timing windows)"),
            ("model FLOPs", r.Mfu is double mfu
                ? string.Create(CultureInfo.InvariantCulture, $"{mfu:P0} MFU: {r.AchievedFlopsPerSecond / 1e9:0.0} GFLOP/s ({r.ModelFlopsPerSample / 1e6:0.###} MFLOP per sample x {(r.ThroughputSamplesPerSecond is null ? "samples/s" : "steady throughput")}) of a {r.PeakFlopsPerSecond / 1e9:0.0} GFLOP/s {(r.Configuration.Techniques.Any(t => t.Name == "precision") ? "bf16" : "fp32")} GEMM peak measured here")
                : "-"),
            ("peak memory", string.Create(CultureInfo.InvariantCulture, $"{r.PeakRssBytes / (1024.0 * 1024.0):0} MiB RSS")),
            ("record", recordPath),
        };
        if (r.FailureReason is not null)
        {
            rows.Insert(1, ("reason", r.FailureReason));
        }

        if (cli.Interactive)
        {
            var table = new Table().HideHeaders().AddColumns("field", "value");
            foreach ((string field, string value) in rows)
            {
                table.AddRow(Markup.Escape(field), Markup.Escape(value));
            }

            cli.Console.Write(table);
        }
        else
        {
            foreach ((string field, string value) in rows)
            {
                cli.Console.WriteLine($"{field + ":",-20} {value}");
            }
        }
    }

    /// <summary>The metric in a progress line: acc or loss.</summary>
    private static string Short(TargetSpec target) => target.Metric == TargetMetrics.Accuracy ? "acc" : target.Metric;

    /// <summary>Drives a Spectre progress bar from training progress (thread-safe; called on the training thread).</summary>
    private sealed class ProgressBar(ProgressTask task, TargetSpec target) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            task.Value = Math.Min(value.BudgetFraction, 0.999);
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"step {value.Step} train loss {value.TrainLoss:0.000} val {Short(target)} {(value.LastMetric is double m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-")}");
        }
    }

    /// <summary>Plain periodic lines for redirected output (CI logs): at most one every two seconds, plus each new best.</summary>
    private sealed class PlainLines(CliContext cli, TimeProvider time, TargetSpec target) : IProgress<TrainingProgress>
    {
        private long _last = time.GetTimestamp();
        private double? _best;

        public void Report(TrainingProgress value)
        {
            bool improved = value.BestMetric is double b && (_best is not double was || target.IsBetter(b, was));
            if (!improved && time.GetElapsedTime(_last) < TimeSpan.FromSeconds(2))
            {
                return;
            }

            _best = value.BestMetric ?? _best;
            _last = time.GetTimestamp();
            cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  step {value.Step,6}  {value.ChargedSeconds,7:0.0}s  budget {value.BudgetFraction,4:P0}  train loss {value.TrainLoss:0.0000}  val {Short(target)} {(value.LastMetric is double m ? m.ToString("0.0000", CultureInfo.InvariantCulture) : "-")}  best {(value.BestMetric is double bb ? bb.ToString("0.0000", CultureInfo.InvariantCulture) : "-")}"));
        }
    }
}
