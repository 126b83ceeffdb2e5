using System.Globalization;
using System.Text;
using Tuner.Core.Errors;
using Tuner.Runner.Processes;
using Tuner.Suites.Specs;

namespace Tuner.Benchmarks.Workers;

/// <summary>
/// What running trials in worker processes costs and buys, measured side by side in one run on digits-mlp (one torch
/// thread per trial), printed as one Markdown table:
/// <list type="number">
/// <item>Per-trial overhead of <see cref="ProcessTrialRunner"/> against <see cref="Runner.InProcessTrialRunner"/> on
/// tiny trials (baseline configuration, 20 steps), interleaved after one warm-up of each (<see cref="TrialOverhead"/>).</item>
/// <item>Claims per second of the study stores (SQLite in a temp file; PostgreSQL with <c>--postgres URL</c>): 300
/// waiting trials claimed and finished from 1 and from 4 store instances at once (<see cref="ClaimThroughput"/>).</item>
/// <item>Search throughput of a random-tuner study through the process runner with 1 and with 2 workers
/// (<see cref="SearchThroughput"/>).</item>
/// </list>
/// <code>
/// workers [--postgres URL] [--trials N (default 8)] [--search-steps N (default 300)] [--tuner-dll PATH]
/// </code>
/// The worker is <c>tuner.dll</c> (harness/Tuner.Cli): next to this program, else the Tuner.Cli build of the same
/// configuration in this checkout, else <c>--tuner-dll</c>. Progress goes to stderr, the table to stdout.
/// </summary>
internal static class WorkersBenchmark
{
    public const string Usage = "workers [--postgres URL] [--trials N] [--search-steps N] [--tuner-dll PATH]";

    private static readonly string[] Known = ["--postgres", "--trials", "--search-steps", "--tuner-dll"];

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunCoreAsync(args);
        }
        catch (TunerInputException ex)
        {
            await Console.Error.WriteLineAsync($"workers: {ex.Message}");
            await Console.Error.WriteLineAsync($"usage: {Usage}");
            return 2;
        }
    }

    private static async Task<int> RunCoreAsync(string[] args)
    {
        Dictionary<string, string> options = Parse(args);
        int trials = options.TryGetValue("--trials", out string? text)
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n : throw new TunerInputException($"--trials must be a whole number >= 1, got '{text}'")
            : 8;
        int searchSteps = options.TryGetValue("--search-steps", out text)
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out n) && n >= 1 ? n : throw new TunerInputException($"--search-steps must be a whole number >= 1, got '{text}'")
            : 300;
        string? postgres = options.GetValueOrDefault("--postgres");
        string dll = FindTunerDll(options.GetValueOrDefault("--tuner-dll"));
        SuiteSpec suite = SuiteCatalog.Resolve("digits-mlp");
        Log($"workers: suite {suite.Name}, {trials} trials per case, worker {dll}, {Environment.ProcessorCount} logical cores, load average {LoadAverage()}");

        string folder = Directory.CreateTempSubdirectory("tuner-workers-bench").FullName;
        var rows = new List<Row>();
        var total = System.Diagnostics.Stopwatch.StartNew();
        bool ok = true;
        try
        {
            (IReadOnlyList<Row> overhead, bool overheadOk) = await TrialOverhead.MeasureAsync(suite, dll, trials);
            rows.AddRange(overhead);
            (IReadOnlyList<Row> claims, bool claimsOk) = await ClaimThroughput.MeasureAsync(suite, Path.Combine(folder, "claims.db"), postgres);
            rows.AddRange(claims);
            (IReadOnlyList<Row> search, bool searchOk) = await SearchThroughput.MeasureAsync(suite, dll, trials, searchSteps, Path.Combine(folder, "search.db"));
            rows.AddRange(search);
            ok = overheadOk && claimsOk && searchOk;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        total.Stop();
        Console.WriteLine();
        Console.WriteLine(Table(rows));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"digits-mlp, torch threads 1, {Environment.ProcessorCount} logical cores; load average at the start {LoadAverage(atStart: true)}, at the end {LoadAverage()}; whole run {total.Elapsed.TotalSeconds:0} s."));
        if (!ok)
        {
            Console.WriteLine("Some trials did not run as planned (see the notes): the numbers above are suspect.");
        }

        return ok ? 0 : 1;
    }

    internal static void Log(string line) => Console.Error.WriteLine(line);

    internal static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? _loadAtStart;

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "n/a".</summary>
    private static string LoadAverage(bool atStart = false)
    {
        if (atStart && _loadAtStart is not null)
        {
            return _loadAtStart;
        }

        string value;
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            value = parts.Length >= 3 ? string.Join(' ', parts[..3]) : "n/a";
        }
        catch (IOException)
        {
            value = "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            value = "n/a";
        }

        _loadAtStart ??= value;
        return value;
    }

    private static string Table(List<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| Measurement | Case | Result | Notes |");
        text.AppendLine("|---|---|---|---|");
        foreach (Row row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Measurement} | {row.Case} | {row.Result} | {row.Notes} |");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The worker: <paramref name="given"/>, else tuner.dll next to this program, else harness/Tuner.Cli/bin/CONFIG/TFM/tuner.dll of this checkout.</summary>
    private static string FindTunerDll(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new TunerInputException($"--tuner-dll {given}: no such file");
        }

        if (File.Exists(ProcessTrialRunner.DefaultTunerDllPath))
        {
            return ProcessTrialRunner.DefaultTunerDllPath;
        }

        // AppContext.BaseDirectory is <repo>/harness/Tuner.Benchmarks/bin/<config>/<tfm>/.
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = baseDir.Name;
        string? config = baseDir.Parent?.Name;
        for (DirectoryInfo? dir = baseDir; dir is not null && config is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "harness", "Tuner.Cli", "bin", config, tfm, "tuner.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new TunerInputException(
            $"the worker tuner.dll was not found next to this program nor in harness/Tuner.Cli/bin/{config}/{tfm}: build it (dotnet build harness/Tuner.Cli -c {config}) or pass --tuner-dll PATH");
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!Known.Contains(args[i]))
            {
                throw new TunerInputException($"unknown option '{args[i]}'");
            }

            if (i + 1 >= args.Length)
            {
                throw new TunerInputException($"{args[i]} needs a value");
            }

            options[args[i]] = args[++i];
        }

        return options;
    }
}

/// <summary>One line of the table.</summary>
internal sealed record Row(string Measurement, string Case, string Result, string Notes);

/// <summary>Keeps the last 200 lines of the workers' log (shown only when a trial went wrong).</summary>
internal sealed class LogTail(System.Collections.Concurrent.ConcurrentQueue<string> lines) : IProgress<string>
{
    public void Report(string value)
    {
        lines.Enqueue(value);
        while (lines.Count > 200 && lines.TryDequeue(out _))
        {
        }
    }
}
