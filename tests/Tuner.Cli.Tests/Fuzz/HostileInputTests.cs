using System.Text;
using Microsoft.Data.Sqlite;

namespace Tuner.Cli.Tests.Fuzz;

/// <summary>
/// Hostile and edge-case input, table-driven (<see cref="HostileCases"/>): every case runs the real command line
/// in-process, in a fresh folder of fixture files, and must keep the command line's promises: an exit code from the
/// documented set (never 1, "a bug"), exactly one <c>tuner: error:</c> line on stderr when it fails and never a stack
/// trace, the secret marker nowhere in the output, in a created file's name or in its content, and no new file outside
/// the paths the case allows (bad input creates nothing at all). A case with an expected exit code must give it: that is
/// what catches input accepted silently.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private static readonly int[] Documented = [0, 2, 3, 4, 5, 6, 7, 130, 143];

    /// <summary>Exit codes of a command that failed: one error line. The others are outcomes (target not reached, ...).</summary>
    private static readonly int[] ErrorCodes = [1, 2, 6, 130, 143];

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-fuzz").FullName;

    public static TheoryData<string> Names => [.. HostileCases.All.Keys];

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void TheTable_HasAFewHundredCasesIncludingTheReportedOnes()
    {
        Assert.InRange(HostileCases.All.Count, 300, 1000);
        Assert.True(HostileCases.All.Keys.Count(k => k.StartsWith("issue12:", StringComparison.Ordinal)) >= 30);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Case_KeepsTheCommandLinePromises(string name)
    {
        HostileCase c = HostileCases.All[name];
        await FixturesAsync(_dir);
        string[] outsideBefore = SecretNamesOutside();
        HashSet<string> before = Snapshot(_dir);

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, c.Args);

        string context = $"exit {code}; stderr: {error.Trim()}; stdout tail: {Tail(output)}";
        if (Environment.GetEnvironmentVariable("TUNER_FUZZ_LOG") is { Length: > 0 } log)
        {
            // For review: what each case answered (TUNER_FUZZ_LOG=/tmp/fuzz.tsv dotnet test --filter HostileInputTests).
            await File.AppendAllTextAsync(log, $"{name}\t{code}\t{error.Trim().ReplaceLineEndings(" ")}\n");
        }

        Assert.True(Documented.Contains(code), $"exit code {code} is not documented: {context}");
        if (c.Expect is int expected)
        {
            Assert.True(code == expected, $"expected exit {expected}: {context}");
        }

        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        if (ErrorCodes.Contains(code))
        {
            Assert.True(lines.Length == 1, $"a failure prints exactly one line on stderr: {context}");
            Assert.StartsWith("tuner: error: ", lines[0], StringComparison.Ordinal);
        }
        else
        {
            Assert.True(lines.Length <= 1, $"at most one line on stderr: {context}");
        }

        Assert.DoesNotContain(HostileCases.Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileCases.Secret, error, StringComparison.Ordinal);
        if (c.Shows is string shows)
        {
            Assert.True(output.Contains(shows, StringComparison.Ordinal), $"the output lacks '{shows}': {context}");
        }

        string[] created = [.. Snapshot(_dir).Except(before).Order(StringComparer.Ordinal)];
        string[] allowed = c.Writes ?? (code == 2 ? [] : ["results"]);
        foreach (string path in created)
        {
            Assert.DoesNotContain(HostileCases.Secret, path, StringComparison.Ordinal);
            Assert.True(
                allowed.Any(a => path == a || path.StartsWith(a + "/", StringComparison.Ordinal) || a.StartsWith(path + "/", StringComparison.Ordinal)),
                $"created {path}, outside [{string.Join(", ", allowed)}]: {context}");
            string full = Path.Combine(_dir, path);
            if (File.Exists(full) && new FileInfo(full).Length < 16 << 20)
            {
                Assert.DoesNotContain(HostileCases.Secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(full)), StringComparison.Ordinal);
            }
        }

        Assert.Equal(outsideBefore, SecretNamesOutside());
    }

    /// <summary>Every file and folder under <paramref name="root"/>, relative, with '/' separators.</summary>
    private static HashSet<string> Snapshot(string root) =>
        [.. new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
            .Select(i => Path.GetRelativePath(root, i.FullName).Replace('\\', '/'))];

    /// <summary>Entries holding the secret in the places a leaked path would land outside the case folder.</summary>
    private static string[] SecretNamesOutside() =>
        [.. new[] { Environment.CurrentDirectory, Path.GetTempPath() }
            .SelectMany(d => Directory.EnumerateFileSystemEntries(d))
            .Where(p => p.Contains(HostileCases.Secret, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static string Tail(string text) => text.Length <= 400 ? text.Trim() : text[^400..].Trim();

    /// <summary>The files the cases name, written fresh into each case's folder.</summary>
    private static async Task FixturesAsync(string dir)
    {
        void Write(string name, string text) => File.WriteAllText(Path.Combine(dir, name), text);
        string suite(string data, string extra = "") =>
            $$"""{ "name": "fx", "data": {{data}}, "model": { "kind": "mlp", "hidden": [8] }, "target": { "value": 0.9 }, "budget": "5steps"{{extra}} }""";

        Write("afile", "hello");
        Directory.CreateDirectory(Path.Combine(dir, "folder"));
        Write("secret.txt", $"root:{HostileCases.Secret}:19000:0:99999:7:::\n{HostileCases.Secret},{HostileCases.Secret},label\n");
        Write("other.csv", "a,b\n1,2\n");
        Write("notdb.db", "this is not a database");
        Write("readme.md", "# techniques\n");
        Write("two.csv", "a,b,label\n1,2,0\n3,4,1\n");
        Write("odd.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,1\n7,8,0\n9,1,0\n2,3,1\n");
        await File.WriteAllBytesAsync(Path.Combine(dir, "binary.json"), [.. Enumerable.Range(0, 256).Select(i => (byte)i)]);
        File.CreateSymbolicLink(Path.Combine(dir, "loop.json"), Path.Combine(dir, "loop2.json"));
        File.CreateSymbolicLink(Path.Combine(dir, "loop2.json"), Path.Combine(dir, "loop.json"));

        await using (var foreign = new SqliteConnection($"Data Source={Path.Combine(dir, "foreign.db")};Pooling=False"))
        {
            await foreign.OpenAsync();
            await using SqliteCommand create = foreign.CreateCommand();
            create.CommandText = "CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'x');";
            await create.ExecuteNonQueryAsync();
        }

        // Suite files.
        Write("s_unknown.json", suite("""{ "dataset": "digits" }""", """, "budjet": "5s" """));
        Write("s_unknown_data.json", suite("""{ "dataset": "digits", "pathh": "x.csv" }"""));
        Write("s_unknown_model.json", """{ "name": "fx", "data": { "dataset": "digits" }, "model": { "kind": "mlp", "hiden": [8] }, "target": { "value": 0.9 }, "budget": "5steps" }""");
        Write("s_dup.json", suite("""{ "dataset": "digits" }""", """, "budget": "6steps" """));
        Write("s_both.json", suite("""{ "dataset": "digits", "format": "csv", "path": "two.csv" }"""));
        Write("s_two.json", suite("""{ "format": "csv", "path": "two.csv" }"""));
        Write("s_odd.json", suite("""{ "format": "csv", "path": "odd.csv" }"""));
        Write("s_secret.json", suite("""{ "format": "csv", "path": "secret.txt" }"""));
        Write("s_secret_sk.json", suite("""{ "format": "sklearn-csv", "path": "secret.txt" }"""));
        Write("s_zero.json", suite("""{ "format": "csv", "path": "/dev/zero" }"""));
        Write("s_folder.json", suite("""{ "format": "csv", "path": "folder" }"""));
        Write("s_loopdata.json", suite("""{ "format": "csv", "path": "loop.json" }"""));
        Write("s_deep.json", string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)));
        Write("s_deep_field.json", suite("""{ "dataset": "digits" }""", ", \"x\": " + string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + string.Concat(Enumerable.Repeat("}", 3000))));
        Write("s_array.json", "[1, 2]");
        Write("s_null.json", "null");
        Write("s_empty.json", string.Empty);
        Write("s_text.json", "not json at all");
        Write("s_budget_huge.json", suite("""{ "dataset": "digits" }""").Replace("\"5steps\"", "\"100000000000000000000000steps\"", StringComparison.Ordinal));
        Write("s_target_nan.json", suite("""{ "dataset": "digits" }""").Replace("0.9 }", "\"NaN\" }", StringComparison.Ordinal));
        Write("s_target_big.json", suite("""{ "dataset": "digits" }""").Replace("0.9 }", "1e400 }", StringComparison.Ordinal));
        Write("s_huge_model.json", """{ "name": "fx", "data": { "dataset": "digits" }, "model": { "kind": "mlp", "hidden": [65536, 65536, 65536] }, "target": { "value": 0.9 }, "budget": "5steps" }""");
        Write("s_blocks_frac.json", """{ "name": "fx", "data": { "dataset": "digits" }, "model": { "kind": "resmlp", "hidden": [8], "blocks": 2.5 }, "target": { "value": 0.9 }, "budget": "5steps" }""");
        Write("s_neg_hidden.json", """{ "name": "fx", "data": { "dataset": "digits" }, "model": { "kind": "mlp", "hidden": [-5] }, "target": { "value": 0.9 }, "budget": "5steps" }""");
        Write("s_name_secret.json", suite("""{ "dataset": "digits" }""").Replace("\"fx\"", $"\"u:{HostileCases.Secret}@h\"", StringComparison.Ordinal));
        Write("s_name_path.json", suite("""{ "dataset": "digits" }""").Replace("\"fx\"", "\"../../escape\"", StringComparison.Ordinal));
        Write("s_fraction.json", suite("""{ "dataset": "digits", "test_fraction": 1.5 }"""));
        Write("s_unknown_dataset.json", suite("""{ "dataset": "imagenet" }"""));

        // Search spaces.
        Write("sp_dup.json", """{ "techniques": { "ema": {}, "ema": {} } }""");
        Write("sp_unknown.json", """{ "techniques": { "ema": {} }, "max_technique": 2 }""");
        Write("sp_fixup.json", """{ "techniques": { "init_fixup": { "always": true } } }""");
        Write("sp_empty.json", "{}");
        Write("sp_array.json", "[]");
        Write("sp_text.json", "{ techniques: ");
        Write("sp_unknown_tech.json", """{ "techniques": { "turbo": {} } }""");
        Write("sp_big.json", """
            { "parameters": { "lr": { "low": 0.001, "high": 1, "log": true }, "momentum": { "low": 0, "high": 0.99 }, "weight_decay": { "low": 0, "high": 0.1 }, "batch_size": [16, 32, 64, 128] },
              "techniques": { "ema": {}, "label_smoothing": {}, "mixup": {}, "lookahead": {}, "precision": {} } }
            """);

        // Nightly manifests.
        const string track = """{ "suite": "digits-mlp", "budget": "5steps", "track": [ { "label": "a", "techniques": ["ema"] } ] }""";
        Write("m_ok.json", $$"""{ "name": "fz", "seeds": [1, 2, 3], "suites": [ {{track}} ] }""");
        Write("m_unknown.json", $$"""{ "name": "fz", "seeds": [1], "sutes": [], "suites": [ {{track}} ] }""");
        Write("m_dup.json", $$"""{ "name": "fz", "name": "fy", "seeds": [1], "suites": [ {{track}} ] }""");
        Write("m_fixup.json", """{ "name": "fz", "seeds": [1, 2, 3], "suites": [ { "suite": "digits-mlp", "budget": "5steps", "track": [ { "label": "a", "techniques": ["init_fixup"] } ] } ] }""");
        Write("m_threads.json", $$"""{ "name": "fz", "seeds": [1, 2, 3], "threads": 1000, "suites": [ {{track}} ] }""");
        Write("m_seeds.json", $$"""{ "name": "fz", "seeds": [-1], "suites": [ {{track}} ] }""");
        Write("m_empty.json", string.Empty);
        Write("m_array.json", "[]");

        // A store with a search study "st", and a copy of it whose trial row holds invalid JSON.
        string template = await TemplateAsync();
        File.Copy(Path.Combine(template, "search.db"), Path.Combine(dir, "search.db"));
        File.Copy(Path.Combine(template, "search.db"), Path.Combine(dir, "damaged.db"));
        await using var damaged = new SqliteConnection($"Data Source={Path.Combine(dir, "damaged.db")};Pooling=False");
        await damaged.OpenAsync();
        await using SqliteCommand corrupt = damaged.CreateCommand();
        corrupt.CommandText = "UPDATE trials SET record_json = '{bad'";
        Assert.True(await corrupt.ExecuteNonQueryAsync() > 0);
    }

    /// <summary>One real search study, made once per test run by the command line itself.</summary>
    private static async Task<string> TemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is null)
            {
                string dir = Directory.CreateTempSubdirectory("tuner-fuzz-template").FullName;
                (int code, string output, string error) = await CliRunner.RunAsync(dir, "search", "--suite", "digits-mlp", "--trials", "1", "--budget", "5steps", "--study", "st", "--storage", "search.db", "--threads", "1");
                Assert.True(code == 0, error + output);
                _template = dir;
            }

            return _template;
        }
        finally
        {
            TemplateGate.Release();
        }
    }
}

/// <summary>
/// One hostile input: the arguments, the exit code it must give (null: any documented one), the paths it may create and
/// text its output must show (for the valid cases: that they did their work).
/// </summary>
public sealed record HostileCase(string[] Args, int? Expect, string[]? Writes = null, string? Shows = null);

/// <summary>
/// The table: the cases issue 12 reported (named <c>issue12:</c>), then every path, storage, number, option-list and file
/// option of every command crossed with values a hostile user would try.
/// </summary>
public static class HostileCases
{
    /// <summary>A password that must never be printed, stored or become a file name.</summary>
    public const string Secret = "S3cretPW9";

    private static readonly string[] Run = ["run", "--suite", "digits-mlp", "--budget", "5steps", "--threads", "1"];
    private static readonly string[] Search = ["search", "--suite", "digits-mlp", "--trials", "1", "--budget", "5steps", "--storage", "s.db"];
    private static readonly string[] Recommend = ["recommend", "--suite", "digits-mlp", "--time", "5s", "--budget", "5steps", "--candidates", "1", "--max-seeds", "3", "--storage", "r.db"];
    private static readonly string[] Effects = ["effects", "--suite", "digits-mlp", "--budget", "5steps", "-t", "ema", "-o", "e.csv", "--readme", "readme.md"];
    private static readonly string[] Report = ["report", "--study", "st", "--storage", "search.db", "-o", "rep"];
    private static readonly string[] Worker = ["worker", "--study", "st", "--storage", "search.db", "--idle", "1s"];
    private static readonly string[] Launch = ["launch", "--study", "st", "--storage", "search.db", "--launcher", "slurm"];
    private static readonly string[] Nightly = ["nightly", "--manifest", "m_ok.json", "--storage", "n.db", "--out", "nout"];
    private static readonly string[] Fetch = ["fetch", "--dataset", "digits", "--data-dir", "cache"];

    /// <summary>Every case by name (after the base argument lists above: static fields initialise in order).</summary>
    public static readonly IReadOnlyDictionary<string, HostileCase> All = Build();

    private static Dictionary<string, HostileCase> Build()
    {
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        void Add(string name, int? expect, string[] args, string[]? writes = null, string? shows = null) => cases.Add(name, new HostileCase(args, expect, writes, shows));

        const string S = Secret;

        // What issue 12 found, as reported.
        Add("issue12: mysql storage", 2, With(Search, "--storage", $"mysql://tuner:{S}@127.0.0.1:1/tuner"));
        Add("issue12: postgres with one slash", 2, With(Search, "--storage", $"postgres:/tuner:{S}@h:5432/db"));
        Add("issue12: redis storage", 2, With(Search, "--storage", $"redis://u:{S}@h/x"));
        Add("issue12: grid count overflow", 2, [.. With(Search, "--space", "sp_big.json"), "--tuner", "grid", "--grid-points", "50", "--grid-cap", "2147483647"]);
        Add("issue12: always-on technique the model lacks", 2, With(Search, "--space", "sp_fixup.json"));
        Add("issue12: run -o /dev/null", null, With(Run, "-o", "/dev/null"), []);
        Add("issue12: run -o under a file", 2, With(Run, "-o", "afile/x.jsonl"));
        Add("issue12: run --data-dir a file", 2, With(Run, "--data-dir", "afile"));
        Add("issue12: fetch --data-dir a file", 2, With(Fetch, "--data-dir", "afile"));
        Add("issue12: suite symlink loop", 2, With(Run, "--suite", "loop.json"));
        Add("issue12: suite data /dev/zero", 2, With(Run, "--suite", "s_zero.json"));
        Add("issue12: search --time 1e9h", 2, With(Search, "--time", "1e9h"));
        Add("issue12: --report unwritable", 2, With(Search, "--report", "/proc/tuner-fuzz/report.csv"));
        Add("issue12: store row with invalid JSON, search", 2, [.. With(Search, "--storage", "damaged.db"), "--study", "st"]);
        Add("issue12: store row with invalid JSON, report", 2, With(Report, "--storage", "damaged.db"));
        Add("issue12: report -o a file", 2, With(Report, "-o", "afile"));
        Add("issue12: effects render a CSV of another kind", 2, ["effects", "--render-only", "-o", "other.csv", "--readme", "readme.md"]);
        Add("issue12: effects --readme a folder", 2, With(Effects, "--readme", "folder"));
        Add("issue12: list alone", 2, ["list"]);
        Add("issue12: recommend --first-seed 0", 2, With(Recommend, "--first-seed", "0"));
        Add("issue12: recommend negative --first-seed", 2, With(Recommend, "--first-seed", "-5"));
        Add("issue12: report of a missing store", 2, With(Report, "--storage", "missing.db"));
        Add("issue12: suite with unknown key", 2, With(Run, "--suite", "s_unknown.json"));
        Add("issue12: suite with dataset and path", 2, With(Run, "--suite", "s_both.json"));
        Add("issue12: suite with duplicate key", 2, With(Run, "--suite", "s_dup.json"));
        Add("issue12: 2-row CSV", 2, With(Run, "--suite", "s_two.json"));
        Add("issue12: --threads 1000", 2, With(Run, "--threads", "1000"));
        Add("issue12: 1e23 steps", 2, With(Run, "--budget", "100000000000000000000000steps"));
        Add("issue12: option given twice", 2, With(Run, "-t", "ema:decay=0.9,decay=0.99"));
        Add("issue12: search negative --seed", 2, With(Search, "--seed", "-1"));
        Add("issue12: search negative --training-seed", 2, With(Search, "--training-seed", "-1"));
        Add("issue12: effects negative --first-seed", 2, With(Effects, "--first-seed", "-1"));
        Add("issue12: empty --storage", 2, With(Search, "--storage", string.Empty));
        Add("issue12: empty -o", 2, With(Run, "-o", string.Empty));
        Add("issue12: empty --data-dir", 2, With(Run, "--data-dir", string.Empty));
        Add("issue12: empty --study", 2, With(Search, "--study", string.Empty));
        Add("issue12: report --night on a search study", 2, With(Report, "--night", "20260101"));
        Add("issue12: run inapplicable technique", 2, With(Run, "-t", "init_fixup"));
        Add("issue12: data file that is not CSV is never quoted", 2, With(Run, "--suite", "s_secret.json"));
        Add("issue12: sklearn data file that is not sklearn is never quoted", 2, With(Run, "--suite", "s_secret_sk.json"));

        // --storage of every command that opens a store, with values that are not a store.
        string[] storages =
        [
            $"mysql://tuner:{S}@127.0.0.1:1/tuner", $"postgres:/tuner:{S}@127.0.0.1:5432/db", $"redis://u:{S}@127.0.0.1/x",
            $"postgress://u:{S}@127.0.0.1/db", $"postgresql:tuner:{S}@127.0.0.1/db", $"tuner:{S}@127.0.0.1/tuner",
            $"Host=127.0.0.1;Port=1;Username=u;Password={S};Database=d", $"postgres://u:{S}@127.0.0.1:1/db",
            $"postgres://u:{S}@127.0.0.1:notaport/db", $"postgres://u:{S}@/db", $"file://u:{S}@127.0.0.1/x", $"http://u:{S}@127.0.0.1/x",
            "sqlite:", "file:", string.Empty, "   ", "afile/x.db", "folder", "notdb.db", "foreign.db", "/dev/null", "/dev/zero",
        ];
        foreach ((string command, string[] args) in new[] { ("search", Search), ("recommend", Recommend), ("report", Report), ("worker", Worker), ("launch", Launch), ("nightly", Nightly) })
        {
            for (int i = 0; i < storages.Length; i++)
            {
                Add($"storage: {command} #{i} {Label(storages[i])}", 2, With(args, "--storage", storages[i]));
            }
        }

        // Paths a command writes or reads, with values that cannot be what the option asks for.
        string[] anyPath = [string.Empty, "  ", "afile/x", $"u:{S}@127.0.0.1/x", "http://127.0.0.1/x", new string('a', 5000), "a\0b", "/proc/tuner-fuzz/none/x"];
        (string Label, string[] Args, string Option, string Kind)[] paths =
        [
            ("run -o", Run, "-o", "record"), ("run --data-dir", Run, "--data-dir", "folder"), ("search --report", Search, "--report", "file"),
            ("search --data-dir", Search, "--data-dir", "folder"), ("search --space", Search, "--space", "input"),
            ("recommend -o", Recommend, "-o", "file"), ("report -o", Report, "-o", "folder"), ("effects --readme", Effects, "--readme", "file"),
            ("effects -o", Effects, "-o", "file"), ("nightly --out", Nightly, "--out", "folder"), ("nightly --manifest", Nightly, "--manifest", "input"),
            ("fetch --data-dir", Fetch, "--data-dir", "folder"), ("run --suite", Run, "--suite", "input"), ("worker --data-dir", Worker, "--data-dir", "folder"),
        ];
        foreach ((string label, string[] args, string option, string kind) in paths)
        {
            string[] values = kind switch
            {
                "file" => [.. anyPath, "folder"],
                "record" => anyPath, // a folder is fine: the record goes to FOLDER/trials.jsonl
                "folder" => [.. anyPath, "afile", "/dev/null"],
                _ => [.. anyPath, "folder", "/dev/zero", "missing.json", "loop.json", "binary.json", "secret.txt"],
            };
            for (int i = 0; i < values.Length; i++)
            {
                Add($"path: {label} #{i} {Label(values[i])}", 2, With(args, option, values[i]));
            }
        }

        // Numbers: out of range, not numbers, not finite, overflowing.
        (string Label, string[] Args, string Option, string[] Values)[] numbers =
        [
            ("run --seed", Run, "--seed", ["-1", "abc", "99999999999999999999", "1.5", string.Empty]),
            ("run --threads", Run, "--threads", ["0", "-1", "1000", "abc", "2147483648"]),
            ("run --target", Run, "--target", ["0", "-0.5", "1.5", "NaN", "Infinity", "abc", "1e400"]),
            ("run --budget", Run, "--budget", [string.Empty, "0s", "-1s", "1e9h", "100000000000000000000000steps", "10q", "NaN", "Infinitys", "5", "steps", "1e-9s", "9999999epochs", "0.5steps"]),
            ("search --trials", Search, "--trials", ["0", "-1", "abc", "1e12"]),
            ("search --time", Search, "--time", [string.Empty, "0s", "1e9h", "-5m", "NaN", "abc", "5"]),
            ("search --grid-points", [.. Search, "--tuner", "grid"], "--grid-points", ["0", "-1", "101", "2147483647"]),
            ("search --grid-cap", [.. Search, "--tuner", "grid"], "--grid-cap", ["0", "-1", "2147483647"]),
            ("search --workers", Search, "--workers", ["0", "-1", "1000"]),
            ("search --queue", Search, "--queue", ["-1", "100000000"]),
            ("search --threads", Search, "--threads", ["0", "1000"]),
            ("search --cap", Search, "--cap", ["-1", "NaN", "Infinity", "0.5"]),
            ("search --tuner", Search, "--tuner", [string.Empty, "nope", "gridd"]),
            ("search --target", Search, "--target", ["0", "2", "NaN"]),
            ("search --budget", Search, "--budget", ["0s", "1e9h", "-5steps"]),
            ("search --device", Search, "--device", [string.Empty, "tpu", "cuda:99"]),
            ("search --seed", Search, "--seed", ["-9223372036854775808"]),
            ("recommend --min-seeds", Recommend, "--min-seeds", ["0", "2", "-1"]),
            ("recommend --max-seeds", Recommend, "--max-seeds", ["1", "0", "2147483647"]),
            ("recommend --candidates", Recommend, "--candidates", ["0", "-1", "1000000"]),
            ("recommend --time", Recommend, "--time", ["0s", "1e9h", "-1m"]),
            ("recommend --first-seed", Recommend, "--first-seed", ["-1", "9223372036854775807"]),
            ("effects --seeds", Effects, "--seeds", ["0", "1", "2", "100000", "-3"]),
            ("effects --threads", Effects, "--threads", ["0", "1000"]),
            ("effects --budget", Effects, "--budget", ["0s", "nope"]),
            ("worker --threads", Worker, "--threads", ["0", "1000"]),
            ("worker --workers", Worker, "--workers", ["0", "1000"]),
            ("worker --idle", Worker, "--idle", [string.Empty, "0s", "-1s", "1e9h"]),
            ("worker --cap", Worker, "--cap", ["-1", "NaN", "0.5"]),
            ("run --device", Run, "--device", ["tpu", string.Empty, "cuda:99"]),
            ("search --launcher", Search, "--launcher", [string.Empty, "pbs", "slurmx", "$(id)"]),
            ("search --gpus-per-task", [.. Search, "--launcher", "slurm"], "--gpus-per-task", ["-1", "2", "abc"]),
            ("launch --workers", Launch, "--workers", ["0", "-1", "1000", "abc"]),
            ("launch --idle", Launch, "--idle", [string.Empty, "0s", "-1s", "1e9h"]),
            ("launch --max-running", Launch, "--max-running", ["0", "-1", "5"]),
            ("launch --job-time", Launch, "--job-time", [string.Empty, "1s", "1e9h", "abc"]),
            ("launch --partition", Launch, "--partition", [string.Empty, "a;b", "$(id)", "a b", "x\ny"]),
            ("launch --account", Launch, "--account", [string.Empty, "`id`", "a'b"]),
            ("launch --sbatch-arg", Launch, "--sbatch-arg", [string.Empty, "--array=1", "--export=NONE", "-pdebug", "x", "--wrap=id", "--mem 8G", "--o\nx"]),
            ("launch --cap", Launch, "--cap", ["-1", "NaN", "0.5"]),
        ];
        foreach ((string label, string[] args, string option, string[] values) in numbers)
        {
            for (int i = 0; i < values.Length; i++)
            {
                Add($"number: {label} #{i} {Label(values[i])}", 2, With(args, option, values[i]));
            }
        }

        // Recipe assignments and techniques.
        string[] sets =
        [
            string.Empty, "=", "lr=", "=0.1", "lr=NaN", "lr=-1", "lr=1e400", "lr=Infinity", "batch_size=0", "batch_size=1e9", "batch_size=1.5",
            "momentum=1", "momentum=-0.1", "weight_decay=NaN", "eval_samples=0", "eval_every=10", "horizon=0", "optimizer=", "optimizer=adam:", "optimizer=adam:beta1",
            "optimizer=adam:beta1=0.9,beta1=0.8", "optimizer=lion", "optimizer=adam:beta1=2", "nope=1", $"lr=u:{S}@h",
        ];
        for (int i = 0; i < sets.Length; i++)
        {
            Add($"set: #{i} {Label(sets[i])}", 2, With(Run, "--set", sets[i]));
        }

        Add("set: the same key twice", 2, [.. Run, "--set", "lr=0.1", "--set", "lr=0.2"]);
        Add("set: lr and learning_rate", 2, [.. Run, "--set", "lr=0.1", "--set", "learning_rate=0.2"]);
        string[] techniques =
        [
            string.Empty, ":", "ema:", "ema:=", "ema:decay", "ema:decay=", "ema:decay=NaN", "ema:decay=2", "ema:decay=0.9,decay=0.99",
            "ema:nope=1", "turbo", "init_fixup", "stochastic_depth", "progressive_resizing", "channels_last", "ema,swa", "nesterov", "adam",
            $"ema:decay=u:{S}@h", "warmup:steps=-5", "warmup:steps=1e30", "mixup:alpha=Infinity",
        ];
        for (int i = 0; i < techniques.Length; i++)
        {
            Add($"technique: run #{i} {Label(techniques[i])}", 2, With(Run, "-t", techniques[i]));
        }

        Add("technique: run the same twice", 2, [.. Run, "-t", "ema", "-t", "ema"]);
        Add("technique: run conflicting", 2, [.. Run, "-t", "ema", "-t", "swa"]);
        Add("technique: effects unknown", 2, With(Effects, "-t", "turbo"));
        Add("technique: effects inapplicable", 2, With(Effects, "-t", "init_fixup"));

        // Files that are not what they claim to be.
        string[] suites =
        [
            "s_unknown.json", "s_unknown_data.json", "s_unknown_model.json", "s_dup.json", "s_both.json", "s_two.json",
            "s_secret.json", "s_secret_sk.json", "s_zero.json", "s_folder.json", "s_loopdata.json", "s_deep.json", "s_deep_field.json",
            "s_array.json", "s_null.json", "s_empty.json", "s_text.json", "s_budget_huge.json", "s_target_nan.json", "s_target_big.json",
            "s_huge_model.json", "s_blocks_frac.json", "s_neg_hidden.json", "s_name_secret.json", "s_name_path.json", "s_fraction.json",
            "s_unknown_dataset.json",
        ];
        foreach (string file in suites)
        {
            Add($"suite file: run {file}", 2, With(Run, "--suite", file));
        }

        foreach (string file in new[] { "s_unknown.json", "s_two.json", "s_secret.json", "s_huge_model.json", "s_name_secret.json" })
        {
            Add($"suite file: search {file}", 2, With(Search, "--suite", file));
        }

        foreach (string file in new[] { "sp_dup.json", "sp_unknown.json", "sp_fixup.json", "sp_empty.json", "sp_array.json", "sp_text.json", "sp_unknown_tech.json", "s_deep.json", "binary.json" })
        {
            Add($"space file: {file}", 2, With(Search, "--space", file));
        }

        foreach (string file in new[] { "m_unknown.json", "m_dup.json", "m_fixup.json", "m_threads.json", "m_seeds.json", "m_empty.json", "m_array.json", "s_deep.json", "loop.json" })
        {
            Add($"manifest: {file}", 2, With(Nightly, "--manifest", file));
        }

        // Stores and studies.
        Add("store: report unknown study", 2, With(Report, "--study", "nope"));
        Add("store: report missing store creates nothing", 2, With(Report, "--storage", "sub/missing.db"));
        Add("store: worker on a missing store creates nothing", 2, With(Worker, "--storage", "missing.db"));
        Add("store: worker unknown study", 2, With(Worker, "--study", "nope"));
        Add("store: search a study with another space", 2, [.. With(Search, "--storage", "search.db"), "--study", "st", "--tuner", "random"]);
        Add("store: not a tuner database", 2, With(Report, "--storage", "foreign.db"));
        Add("store: study name with a password", 2, With(Search, "--study", $"postgres://u:{S}@127.0.0.1/db"));
        Add("store: study name with a password parameter", 2, With(Search, "--study", $"x;Password={S}"));
        Add("store: report study name with a password", 2, With(Report, "--study", $"u:{S}@h"));
        Add("store: report night that does not exist", 2, With(Report, "--night", "nope"));
        Add("effects: render a missing CSV", 2, ["effects", "--render-only", "-o", "missing.csv", "--readme", "readme.md"]);
        Add("effects: render without -o", 2, ["effects", "--render-only", "--readme", "readme.md"]);
        Add("effects: render a folder", 2, ["effects", "--render-only", "-o", "folder", "--readme", "readme.md"]);
        Add("effects: render binary", 2, ["effects", "--render-only", "-o", "binary.json", "--readme", "readme.md"]);
        Add("effects: missing suite", 2, ["effects", "--budget", "5steps"]);

        // The command line itself.
        Add("cli: no arguments", null, [], []);
        Add("cli: unknown command", 2, ["nope"]);
        Add("cli: unknown option", 2, With(Run, "--frobnicate", "1"));
        Add("cli: option without its value", 2, ["run", "--suite"]);
        Add("cli: list nope", 2, ["list", "nope"]);
        Add("cli: list techniques unknown suite", 2, ["list", "techniques", "--suite", "nope"]);
        Add("cli: list techniques of a loop", 2, ["list", "techniques", "--suite", "loop.json"]);
        Add("cli: help", 0, ["--help"], []);
        Add("cli: list suites", 0, ["list", "suites"], []);
        Add("cli: list optimizers", 0, ["list", "optimizers"], []);
        Add("cli: password in a positional argument", 2, ["run", $"u:{S}@127.0.0.1/db"]);
        Add("cli: run without suite", 2, ["run"]);
        Add("cli: search without a stop condition", 2, ["search", "--suite", "digits-mlp", "--storage", "s.db"]);
        Add("cli: worker without storage", 2, ["worker", "--study", "st"]);
        Add("cli: launch without launcher", 2, ["launch", "--study", "st", "--storage", "search.db"]);
        Add("cli: launch on a SQLite store", 2, Launch);
        Add("cli: launch with a budget", 2, [.. Launch, "--budget", "5s"]);
        Add("cli: search slurm on SQLite", 2, [.. Search, "--launcher", "slurm"]);
        Add("cli: search slurm option without slurm", 2, [.. Search, "--partition", "gpu"]);
        Add("cli: profile of one study", 2, ["report", "--profile", "st", "--storage", "search.db"]);
        Add("cli: profile of the same study twice", 2, ["report", "--profile", "st,st", "--storage", "search.db"]);
        Add("cli: profile of unknown studies", 2, ["report", "--profile", "st", "--profile", "nope", "--storage", "search.db"]);
        Add("cli: profile-by unknown", 2, ["report", "--profile", "st", "--profile", "st2", "--profile-by", "optimizer", "--storage", "search.db"]);
        Add("cli: profile with --study", 2, ["report", "--profile", "st", "--profile", "st2", "--study", "st", "--storage", "search.db"]);
        Add("cli: profile on a missing store", 2, ["report", "--profile", "a", "--profile", "b", "--storage", "missing.db"]);
        Add("cli: fetch unknown dataset", 2, With(Fetch, "--dataset", "imagenet"));
        Add("cli: nightly injected slowdown malformed", 2, [.. Nightly, "--inject-slowdown", "a"]);
        Add("cli: nightly injected slowdown NaN", 2, [.. Nightly, "--inject-slowdown", "a=NaN"]);
        Add("cli: nightly injected slowdown unknown label", 2, [.. Nightly, "--inject-slowdown", "zz=2"]);

        // What must still work (so the checks above are not simply refusing everything).
        Add("valid: run -o /dev/null", 3, With(Run, "-o", "/dev/null"), [], "record:              /dev/null");
        Add("valid: run -o into a new folder", 3, With(Run, "-o", "out/x.jsonl"), ["out/x.jsonl"], "status:");
        Add("valid: run -o an existing folder", 3, With(Run, "-o", "folder"), ["folder/trials.jsonl"], "status:");
        Add("valid: run a 6-row CSV with three rows per class", null, With(With(Run, "--suite", "s_odd.json"), "--budget", "2steps"), ["results"], "status:");
        Add("valid: search with sqlite: prefix", 0, With(Search, "--storage", "sqlite:s.db"), ["s.db", "s.db-wal", "s.db-shm", "results"], "1 trials finished");
        Add("valid: report of the study", 0, Report, ["rep"], "tuning report:");
        Add("valid: nightly dry run", 0, [.. Nightly, "--dry-run"], [], "plan valid");
        Add("valid: technique names are case-insensitive", 3, With(Run, "-t", "EMA"), ["results"], "ema");
        Add("valid: list techniques of a suite file", 0, ["list", "techniques", "--suite", "s_odd.json"], [], "ema");
        return cases;
    }

    /// <summary><paramref name="args"/> with <paramref name="option"/>'s value replaced (or the option appended).</summary>
    private static string[] With(string[] args, string option, string value)
    {
        int at = Array.IndexOf(args, option);
        if (at < 0)
        {
            return [.. args, option, value];
        }

        string[] copy = [.. args];
        copy[at + 1] = value;
        return copy;
    }

    /// <summary>A short, printable label for a value in a case name (test names must not hold NULs or 5000 characters).</summary>
    private static string Label(string value)
    {
        string text = value.Length == 0 ? "(empty)" : value.Trim().Length == 0 ? "(blank)" : value.Replace(Secret, "SECRET", StringComparison.Ordinal);
        text = new string([.. text.Select(ch => char.IsControl(ch) ? '?' : ch)]);
        return text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 20), $"...({text.Length} chars)");
    }
}
