using Tuner.Search.Tuners;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Runner.Search;
using Tuner.Search.Simulation;
using Tuner.Search.Space;
using Tuner.Suites.Specs;

namespace Tuner.Benchmarks.SearchEfficiency;

/// <summary>
/// The search-efficiency benchmark: on a suite whose whole grid was run exhaustively once (the ground truth), the
/// compute each tuner needs to find a configuration within 10% of the best time-to-target, median over tuner seeds,
/// against random search and the full grid, by replaying the tuners against the truth (see
/// <see cref="SearchReplay"/>; no training runs, so it takes seconds). Prints Markdown (and writes it with --out):
/// one table with the product's adaptive cap and median pruner, one without either.
/// <code>
/// search-efficiency --truth FILE.jsonl | --truth-from-store STORE.db --study NAME [--export FILE.jsonl]
///                   --space SPACE.json [--suite NAME] [--seeds 10] [--trials 200] [--cap 2] [--tolerance 0.1]
///                   [--tuners smac,cfo,...] [--out FILE.md] [--parallel N (default: the cores)]
/// </code>
/// </summary>
internal static class SearchEfficiencyBenchmark
{
    public const string Usage =
        "search-efficiency (--truth FILE.jsonl | --truth-from-store STORE.db --study NAME [--export FILE.jsonl]) --space SPACE.json " +
        "[--suite NAME] [--seeds N] [--trials N] [--cap F] [--tolerance F] [--tuners a,b,...] [--out FILE.md] [--parallel N]";

    /// <summary>Options repeated in the command line printed under the tables (when given).</summary>
    private static readonly string[] Echoed = ["--suite", "--trials", "--cap", "--tolerance", "--tuners"];

    private static readonly string[] Known =
        ["--truth", "--truth-from-store", "--study", "--export", "--space", "--suite", "--seeds", "--trials", "--cap", "--tolerance", "--tuners", "--out", "--parallel"];

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunCoreAsync(args);
        }
        catch (TunerInputException ex)
        {
            await Console.Error.WriteLineAsync($"search-efficiency: {ex.Message}");
            await Console.Error.WriteLineAsync($"usage: {Usage}");
            return 2;
        }
    }

    private static async Task<int> RunCoreAsync(string[] args)
    {
        Dictionary<string, string> options = Parse(args);
        string? truthFile = options.GetValueOrDefault("--truth");
        string? store = options.GetValueOrDefault("--truth-from-store");
        string spacePath = options.GetValueOrDefault("--space") ?? throw new TunerInputException("--space SPACE.json is required (the space file the grid study ran)");
        if ((truthFile is null) == (store is null))
        {
            throw new TunerInputException("pass exactly one of --truth FILE.jsonl and --truth-from-store STORE.db");
        }

        int seeds = Whole(options, "--seeds", 10);
        int parallelism = Whole(options, "--parallel", Environment.ProcessorCount);
        var settings = new ReplaySettings
        {
            MaxTrials = Whole(options, "--trials", 200),
            CapFactor = Number(options, "--cap", 2.0),
            Tolerance = Number(options, "--tolerance", 0.1),
        };
        if (settings.CapFactor is > 0 and < 1)
        {
            throw new TunerInputException("--cap must be 0 (off) or a factor >= 1, as in tuner search");
        }

        IReadOnlyList<string> tuners = options.TryGetValue("--tuners", out string? list)
            ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : TunerCatalog.Names;
        string? unknown = tuners.FirstOrDefault(t => !TunerCatalog.Names.Contains(t));
        if (unknown is not null)
        {
            throw new TunerInputException($"unknown tuner '{unknown}' in --tuners: use {string.Join(",", TunerCatalog.Names)}");
        }

        IReadOnlyList<TrialRecord> records;
        string source;
        string truthOption;
        if (store is not null)
        {
            string study = options.GetValueOrDefault("--study") ?? throw new TunerInputException("--truth-from-store needs --study NAME (the grid study)");
            records = await StoreTruth.ReadAsync(store, study, CancellationToken.None);
            source = $"{store} (study {study})";
            truthOption = $"--truth-from-store {store} --study {study}";
            if (options.TryGetValue("--export", out string? export))
            {
                StoreTruth.Export(records, export);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"search-efficiency: wrote {records.Count} records to {export}"));
                source = export;
                truthOption = $"--truth {export}";
            }
        }
        else
        {
            if (options.ContainsKey("--export") || options.ContainsKey("--study"))
            {
                throw new TunerInputException("--study and --export only go with --truth-from-store");
            }

            source = truthFile!;
            truthOption = $"--truth {truthFile}";
            records = ReadTruth(truthFile!);
        }

        if (records.Count == 0)
        {
            throw new TunerInputException($"truth {source} has no trial records");
        }

        TruthTable truth;
        try
        {
            truth = new TruthTable(records);
        }
        catch (ArgumentException ex)
        {
            throw new TunerInputException($"truth {source}: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }

        if (truth.Best is null)
        {
            throw new TunerInputException($"truth {source}: no configuration reached the target, so there is nothing to find");
        }

        SuiteSpec suite = SuiteCatalog.Resolve(options.GetValueOrDefault("--suite") ?? records[0].Suite);
        SearchSpace space = SearchSpaceFile.Load(spacePath, suite.Baseline, RegistryTechniqueCatalog.Instance);
        CheckCoverage(space, truth, source, spacePath);
        if (space.Encode(suite.Baseline) is null)
        {
            await Console.Error.WriteLineAsync($"search-efficiency: the baseline of suite {suite.Name} is not a point of {spacePath}; smac and cfo start without it, as tuner search would");
        }

        var clock = Stopwatch.StartNew();
        IReadOnlyList<EfficiencyRow> capped = EfficiencyStudy.Run(truth, space, suite.Baseline, tuners, seeds, settings, parallelism);
        ReplaySettings plain = settings.WithoutCapOrPruning();
        IReadOnlyList<EfficiencyRow> uncapped = EfficiencyStudy.Run(truth, space, suite.Baseline, tuners, seeds, plain, parallelism);
        clock.Stop();

        var command = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"dotnet run -c Release --project harness/Tuner.Benchmarks -- search-efficiency {truthOption} --space {spacePath} --seeds {seeds}"));
        foreach (string name in Echoed)
        {
            if (options.TryGetValue(name, out string? value))
            {
                command.Append(' ').Append(name).Append(' ').Append(value);
            }
        }

        string markdown = Render(source, command.ToString(), suite, truth, seeds, settings, capped, uncapped);
        Console.Write(markdown);
        if (options.TryGetValue("--out", out string? output))
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await File.WriteAllTextAsync(output, markdown);
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"search-efficiency: {tuners.Count} tuners x {seeds} seeds x 2 settings replayed in {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static string Render(
        string source,
        string command,
        SuiteSpec suite,
        TruthTable truth,
        int seeds,
        ReplaySettings settings,
        IReadOnlyList<EfficiencyRow> capped,
        IReadOnlyList<EfficiencyRow> uncapped)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"## Search efficiency: {suite.Name}");
        text.AppendLine();
        text.Append(EfficiencyReport.Header(source, truth, seeds, settings));
        text.AppendLine();
        string cap = settings.CapFactor > 0 ? string.Create(invariant, $"adaptive cap x{settings.CapFactor:0.##}") : "no cap";
        text.AppendLine(invariant, $"### With {cap} and the median pruner (the defaults of tuner search)");
        text.AppendLine();
        text.Append(EfficiencyReport.Table(capped, truth, settings));
        text.AppendLine();
        text.Append(EfficiencyReport.GoalSummary(capped, truth));
        text.AppendLine();
        text.AppendLine("### Without capping or pruning (--cap 0 --no-prune)");
        text.AppendLine();
        text.Append(EfficiencyReport.Table(uncapped, truth, settings.WithoutCapOrPruning()));
        text.AppendLine();
        text.AppendLine(invariant, $"Command: `{command}`");
        return text.ToString();
    }

    private static List<TrialRecord> ReadTruth(string path)
    {
        try
        {
            return [.. TrialRecordJson.ReadAll(path)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TunerInputException($"cannot read --truth {path}: {ex.Message}", ex);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new TunerInputException($"--truth {path} is not JSON lines of trial records (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}", ex);
        }
    }

    /// <summary>Every configuration of the space's grid must be in the truth, or tuners would propose one without a measurement.</summary>
    private static void CheckCoverage(SearchSpace space, TruthTable truth, string source, string spacePath)
    {
        List<Candidate> grid = [.. space.Grid().Take(truth.Count + 1)];
        Candidate? missing = grid.FirstOrDefault(c => !truth.Contains(c.Key));
        if (missing is not null || grid.Count != truth.Count)
        {
            throw new TunerInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"truth {source} ({truth.Count} configurations) is not the grid of {spacePath} ({(grid.Count > truth.Count ? "more" : grid.Count.ToString(CultureInfo.InvariantCulture))} configurations){(missing is null ? string.Empty : $"; it lacks '{missing.Key}'")}: use the space file of the grid study"));
        }
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (!Known.Contains(name))
            {
                throw new TunerInputException($"unknown option '{name}'");
            }

            if (i + 1 >= args.Length)
            {
                throw new TunerInputException($"{name} needs a value");
            }

            options[name] = args[++i];
        }

        return options;
    }

    private static int Whole(Dictionary<string, string> options, string name, int fallback)
    {
        if (!options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1
            ? value
            : throw new TunerInputException($"{name} {text} is invalid: use a whole number >= 1");
    }

    private static double Number(Dictionary<string, string> options, string name, double fallback)
    {
        if (!options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new TunerInputException($"{name} {text} is invalid: use a number >= 0");
    }
}
