using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Commands;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Errors;
using Tuner.Data;

namespace Tuner.Cli;

/// <summary>The <c>tuner</c> command line, runnable in-process (tests) with any console.</summary>
public static class TunerApp
{
    public static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(CliContext), cli);
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("tuner");
            config.Settings.Console = cli.Console;
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;
            config.AddBranch("list", list =>
            {
                list.SetDescription("Describe what exists: suites, techniques or optimizers.");
                list.AddCommand<ListSuitesCommand>("suites");
                list.AddCommand<ListTechniquesCommand>("techniques")
                    .WithExample("list", "techniques", "--suite", "fashion-mlp");
                list.AddCommand<ListOptimizersCommand>("optimizers");
            });
            config.AddCommand<RunCommand>("run")
                .WithExample("run", "--suite", "digits-mlp", "--seed", "1")
                .WithExample("run", "--suite", "fashion-mlp", "--budget", "2epochs", "--threads", "1", "--set", "lr=0.1")
                .WithExample("run", "--suite", "fashion-mlp", "--technique", "label_smoothing:alpha=0.1", "--technique", "warmup:steps=200");
            config.AddCommand<SearchCommand>("search")
                .WithExample("search", "--suite", "digits-mlp", "--tuner", "smac", "--trials", "30")
                .WithExample("search", "--suite", "fashion-mlp", "--tuner", "asha", "--time", "10m", "--space", "space.json");
            config.AddCommand<RecommendCommand>("recommend")
                .WithExample("recommend", "--suite", "digits-mlp", "--time", "3m")
                .WithExample("recommend", "--suite", "fashion-mlp", "--target", "0.88", "--time", "15m");
            config.AddCommand<EffectsCommand>("effects")
                .WithExample("effects", "--suite", "fashion-mlp", "--seeds", "3", "--threads", "1")
                .WithExample("effects", "--suite", "digits-mlp", "--technique", "ema", "--technique", "label_smoothing:alpha=0.05");
            config.AddCommand<NightlyCommand>("nightly")
                .WithExample("nightly", "--manifest", "suites/nightly.json")
                .WithExample("nightly", "--manifest", "suites/nightly.json", "--storage", "postgres://tuner:secret@db.example:5432/tuner", "--out", "results/nightly/latest");
            config.AddCommand<ReportCommand>("report")
                .WithExample("report", "--study", "nightly", "--out", "results/nightly/latest")
                .WithExample("report", "--study", "digits-mlp-smac");
            config.AddCommand<FetchCommand>("fetch")
                .WithExample("fetch")
                .WithExample("fetch", "--dataset", "fashion-mnist");
            config.AddCommand<WorkerCommand>("worker")
                .WithExample("worker", "--study", "fashion-mlp-smac", "--storage", "postgres://tuner:secret@db.example:5432/tuner");
        });

        try
        {
            return await app.RunAsync(args, cancellationToken).ConfigureAwait(false);
        }
        catch (TunerInputException ex)
        {
            return Fail(cli, ex.Message, ExitCodes.BadInput, ex);
        }
        catch (DataFormatException ex)
        {
            return Fail(cli, ex.Message, ExitCodes.BadInput, ex);
        }
        catch (DataUnavailableException ex)
        {
            return Fail(cli, ex.Message, ExitCodes.DataUnavailable, ex);
        }
        catch (CommandAppException ex)
        {
            return Fail(cli, OneLine(ex.Message) + " (see tuner --help)", ExitCodes.BadInput, ex);
        }
        catch (OperationCanceledException ex)
        {
            return Fail(cli, "interrupted; trials already recorded are kept", ExitCodes.Interrupted, ex);
        }
#pragma warning disable CA1031 // The last line of defence: one line, never a stack trace unless asked for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(cli, $"internal error: {ex.GetType().Name}: {OneLine(ex.Message)} (set TUNER_DEBUG=1 for the stack trace)", ExitCodes.InternalError, ex);
        }
    }

    private static int Fail(CliContext cli, string message, int code, Exception ex)
    {
        cli.Error.WriteLine($"tuner: error: {OneLine(message)}");
        if (Environment.GetEnvironmentVariable("TUNER_DEBUG") == "1")
        {
            cli.Error.WriteLine(ex.ToString());
        }

        return code;
    }

    private static string OneLine(string text)
    {
        return string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
