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
            config.AddCommand<LaunchCommand>("launch")
                .WithExample("launch", "--study", "fashion-mlp-smac", "--storage", "postgres://tuner@db.example:5432/tuner", "--launcher", "slurm", "--workers", "8", "--partition", "gpu", "--gpus-per-task", "1", "--device", "cuda");
            config.AddCommand<WorkerCommand>("worker")
                .WithExample("worker", "--study", "fashion-mlp-smac", "--storage", "postgres://tuner:secret@db.example:5432/tuner");
        });

        if (args.Length > 0 && ValueOptions.Value.Contains(args[^1]))
        {
            return Fail(cli, $"{args[^1]} needs a value (see tuner {args[0]} --help)", ExitCodes.BadInput, new ArgumentException("value"));
        }

        if (CredentialsOutsideStorage(args) is string refused)
        {
            return Fail(cli, refused, ExitCodes.BadInput, new ArgumentException("credentials"));
        }

        if (args is ["list"] or ["list", "--nologo"])
        {
            return Fail(cli, "tuner list needs what to list: tuner list suites, tuner list techniques [--suite S] or tuner list optimizers", ExitCodes.BadInput, new ArgumentException("list"));
        }

        try
        {
            return await app.RunAsync(args, cancellationToken).ConfigureAwait(false);
        }
        catch (TunerInputException ex)
        {
            return Fail(cli, ex.Message, ExitCodes.BadInput, ex);
        }
        catch (Runner.Search.WorkersLostException ex)
        {
            return Fail(cli, ex.Message, ExitCodes.WorkersLost, ex);
        }
        catch (CommandFailedException ex)
        {
            return Fail(cli, ex.Message, ex.ExitCode, ex);
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
            return Fail(cli, Conversion(ex.Message, args) ?? OneLine(ex.Message) + " (see tuner --help)", ExitCodes.BadInput, ex);
        }
        catch (OperationCanceledException ex)
        {
            return cli.Terminated
                ? Fail(cli, "terminated (SIGTERM); trials already recorded are kept, the running one was handed back", ExitCodes.Terminated, ex)
                : Fail(cli, "interrupted; trials already recorded are kept", ExitCodes.Interrupted, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file the user named (or a folder the command writes) cannot be read or written: input, not a bug.
            return Fail(cli, $"{OneLine(ex.Message)}: check the path and its permissions", ExitCodes.BadInput, ex);
        }
#pragma warning disable CA1031 // The last line of defence: one line, never a stack trace unless asked for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(cli, $"internal error: {ex.GetType().Name}: {OneLine(ex.Message)} (set TUNER_DEBUG=1 for the stack trace)", ExitCodes.InternalError, ex);
        }
    }

    /// <summary>Every option that takes a value (e.g. --suite), from the commands' settings: one given last without its value is an error.</summary>
    private static readonly Lazy<HashSet<string>> ValueOptions = new(() =>
    [
        .. typeof(TunerApp).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties())
            .Where(p => p.PropertyType != typeof(bool))
            .Select(p => p.GetCustomAttributes(typeof(CommandOptionAttribute), inherit: true).OfType<CommandOptionAttribute>().FirstOrDefault())
            .OfType<CommandOptionAttribute>()
            .SelectMany(o => o.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n))),
    ]);

    /// <summary>Spectre's "Failed to convert 'abc' to Int64" as a line naming the option and what it takes.</summary>
    private static string? Conversion(string message, string[] args)
    {
        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(message, @"^Failed to convert '(.*)' to ([\w`]+)", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (!m.Success)
        {
            return null;
        }

        string value = m.Groups[1].Value;
        int at = Array.IndexOf(args, value, 1);
        string option = at > 0 && args[at - 1].StartsWith('-') ? args[at - 1] : "an option";
        string what = m.Groups[2].Value switch
        {
            "Int32" => "is not a whole number up to 2147483647",
            "Int64" => "is not a whole number",
            "Double" => "is not a number",
            _ => "is not a valid value",
        };
        return $"{option} '{value}' {what}: see tuner {args[0]} --help";
    }

    /// <summary>
    /// Only <c>--storage</c> may carry a password: any other argument that looks like <c>user:password@host</c> or holds
    /// <c>password=</c> (a storage URL given to --study, -o, --suite ...) is refused before it can be printed, written
    /// into a file name or sent anywhere.
    /// </summary>
    private static string? CredentialsOutsideStorage(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--storage")
            {
                i++;
                continue;
            }

            if (arg.StartsWith("--storage=", StringComparison.Ordinal) || !Secrets.HasCredentials(arg))
            {
                continue;
            }

            string where = i > 0 && args[i - 1].StartsWith('-') ? args[i - 1] + " " : string.Empty;
            return $"{where}{Secrets.Mask(arg)} looks like a URL with a password: only --storage takes credentials (postgres://USER:PASSWORD@HOST:PORT/DATABASE)";
        }

        return null;
    }

    /// <summary>One masked line on stderr (the stack trace too with TUNER_DEBUG=1, masked as well).</summary>
    private static int Fail(CliContext cli, string message, int code, Exception ex)
    {
        cli.Error.WriteLine($"tuner: error: {Secrets.Mask(OneLine(message))}");
        if (Environment.GetEnvironmentVariable("TUNER_DEBUG") == "1")
        {
            cli.Error.WriteLine(Secrets.Mask(ex.ToString()));
        }

        return code;
    }

    private static string OneLine(string text)
    {
        return string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
