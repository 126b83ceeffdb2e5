using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage.Tests.Sqlite;

/// <summary>
/// The storage contract on real SQLite files in a fresh temp folder, plus what only the file store has: refusing
/// files that are not its own without touching them, the schema and pragmas it sets, and surviving a close.
/// </summary>
public sealed class SqliteStudyStorageTests : StudyStorageContractTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tuner-storage-tests-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_folder, "results", "studies.db");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task OpenAsync_MissingFileInMissingFolder_CreatesStoreWithSchemaAndPragmas()
    {
        await using (await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            Assert.True(File.Exists(StorePath));
        }

        await using SqliteConnection raw = await OpenRawAsync(StorePath);
        Assert.Equal(SqliteSchema.ApplicationId, await ScalarAsync<long>(raw, "PRAGMA application_id"));
        Assert.Equal(SqliteStudyStorage.SchemaVersion, await ScalarAsync<long>(raw, "PRAGMA user_version"));
        Assert.Equal("wal", await ScalarAsync<string>(raw, "PRAGMA journal_mode"));
        Assert.Equal("tuner-study-store", await ScalarAsync<string>(raw, "SELECT value FROM tuner_meta WHERE key = 'application'"));
        Assert.Equal(
            SqliteStudyStorage.SchemaVersion.ToString(CultureInfo.InvariantCulture),
            await ScalarAsync<string>(raw, "SELECT value FROM tuner_meta WHERE key = 'schema_version'"));
        Assert.Equal(
            "studies,trials,tuner_meta",
            await ScalarAsync<string>(raw, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name)"));
    }

    [Fact]
    public async Task OpenAsync_EmptyFile_BecomesStore()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "empty.db");
        await File.WriteAllBytesAsync(path, []);

        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(path, Time))
        {
            await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        }

        await using SqliteConnection raw = await OpenRawAsync(path);
        Assert.Equal(1L, await ScalarAsync<long>(raw, "SELECT count(*) FROM studies"));
    }

    [Fact]
    public async Task OpenAsync_TextFile_ThrowsNotSqliteAndLeavesFileUnchanged()
    {
        string path = WriteFile("notes.txt", "name,value\nlr,0.1\n"u8.ToArray());

        await AssertRefusedAsync(path, false, "is not a SQLite database", "pass a new path or a study store made by tuner");
    }

    [Fact]
    public async Task OpenAsync_RandomBytes_ThrowsNotSqliteAndLeavesFileUnchanged()
    {
        byte[] bytes = new byte[8192];
        new Random(42).NextBytes(bytes);
        string path = WriteFile("random.bin", bytes);

        await AssertRefusedAsync(path, false, "is not a SQLite database", "pass a new path");
    }

    [Fact]
    public async Task OpenAsync_SqliteHeaderThenGarbage_ThrowsNotSqliteAndLeavesFileUnchanged()
    {
        byte[] bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        string path = WriteFile("fake.db", bytes);

        await AssertRefusedAsync(path, false, "is not a SQLite database", "file is not a database", "pass a new path");
    }

    [Fact]
    public async Task OpenAsync_ShortFileWithSqliteMagic_ThrowsDamagedAndLeavesFileUnchanged()
    {
        string path = WriteFile("short.db", "SQLite format 3\0abc"u8.ToArray());

        await AssertRefusedAsync(path, false, "is a damaged study store", "after 19 bytes", "restore it from a backup");
    }

    [Fact]
    public async Task OpenAsync_ForeignSqliteDatabase_ThrowsNotTunerStoreAndLeavesFileUnchanged()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "app.db");
        await using (SqliteConnection raw = await OpenRawAsync(path))
        {
            await ExecuteAsync(raw, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada')");
        }

        await AssertRefusedAsync(path, false, "is a SQLite database but not a Tuner study store", "customers", "pass a new path");
    }

    [Fact]
    public async Task OpenAsync_ForeignWalDatabaseWithTunerMetaTable_ThrowsNotTunerStoreAndLeavesFileUnchanged()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "lookalike.db");
        await using (SqliteConnection raw = await OpenRawAsync(path))
        {
            await ExecuteAsync(raw, "PRAGMA journal_mode = WAL; CREATE TABLE tuner_meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO tuner_meta VALUES ('application', 'tuner-study-store'), ('schema_version', '1')");
        }

        await AssertRefusedAsync(path, false, "is a SQLite database but not a Tuner study store", "application id 0");
    }

    [Fact]
    public async Task OpenAsync_TruncatedStore_ThrowsDamagedAndLeavesFileUnchanged()
    {
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            await FillAsync(storage, 60);
        }

        long length = new FileInfo(StorePath).Length;
        Assert.True(length >= 8 * 4096, $"store of {length} bytes is too small to truncate meaningfully");
        await using (var stream = new FileStream(StorePath, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(length / 4096 / 2 * 4096);
        }

        await AssertRefusedAsync(StorePath, true, "is a damaged study store", "restore it from a backup or pass a new path");
    }

    [Fact]
    public async Task OpenAsync_NewerSchemaVersion_ThrowsUpgradeAndLeavesFileUnchanged()
    {
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        }

        await using (SqliteConnection raw = await OpenRawAsync(StorePath))
        {
            await ExecuteAsync(raw, "UPDATE tuner_meta SET value = '99' WHERE key = 'schema_version'; PRAGMA user_version = 99");
        }

        await AssertRefusedAsync(StorePath, true, "was written by a newer tuner", "schema version 99", "this build reads up to 1", "upgrade tuner");
    }

    [Fact]
    public async Task OpenAsync_Folder_ThrowsPassAFilePath()
    {
        Directory.CreateDirectory(_folder);

        var error = await Assert.ThrowsAsync<TunerInputException>(() => SqliteStudyStorage.OpenAsync(_folder, Time));

        OneLineAssert.Message(error, $"--storage {_folder} is a folder", "pass a file path");
    }

    [Fact]
    public async Task OpenAsync_SixInstancesCreatingOneFileAtOnce_AllOpenOneStore()
    {
        SqliteStudyStorage[] storages = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(_ => Task.Run(() => SqliteStudyStorage.OpenAsync(StorePath, Time))));
        try
        {
            StudyInfo[] studies = await Task.WhenAll(storages.Select(s => Task.Run(() => s.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None))));

            Assert.Single(studies.Distinct());
        }
        finally
        {
            foreach (SqliteStudyStorage storage in storages)
            {
                await storage.DisposeAsync();
            }
        }

        await using SqliteConnection raw = await OpenRawAsync(StorePath);
        Assert.Equal(1L, await ScalarAsync<long>(raw, "SELECT count(*) FROM studies"));
        Assert.Equal("1", await ScalarAsync<string>(raw, "SELECT value FROM tuner_meta WHERE key = 'schema_version'"));
    }

    [Fact]
    public async Task OpenAsync_EmptyWalDatabaseWithPendingLog_IsRefusedAsForeign()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "live.db");
        await using SqliteConnection raw = await OpenRawAsync(path);
        await ExecuteAsync(raw, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE orders (id INTEGER)");

        var error = await Assert.ThrowsAsync<TunerInputException>(() => SqliteStudyStorage.OpenAsync(path, Time));

        OneLineAssert.Message(error, "is a SQLite database but not a Tuner study store");
        Assert.Equal(0L, await ScalarAsync<long>(raw, "SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task DisposeAsync_ThenReopen_KeepsStudiesTrialsRecordsAndNumbering()
    {
        StudyInfo study;
        IReadOnlyList<StoredTrial> before;
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            study = await FillAsync(storage, 6);
            before = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        }

        Assert.False(File.Exists(StorePath + "-wal"), "the WAL is checkpointed into the file on close");
        await using SqliteStudyStorage reopened = await SqliteStudyStorage.OpenAsync(StorePath, Time);
        StudyInfo again = await reopened.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        IReadOnlyList<StoredTrial> after = await reopened.GetTrialsAsync(study.Id, CancellationToken.None);
        StoredTrial next = await reopened.EnqueueTrialAsync(study.Id, StorageTestData.Plan(9), CancellationToken.None);

        Assert.Equal(study, again);
        StorageTestData.AssertSameTrials(before, after);
        Assert.Equal(TrialState.Finished, after[0].State);
        Assert.Equal(TrialState.Running, after[1].State);
        Assert.Equal(TrialState.Waiting, after[^1].State);
        Assert.Equal(6, next.Number);
    }

    [Fact]
    public async Task TwoInstancesOnOneFile_WritesOfOneAreSeenAndRespectedByTheOther()
    {
        await using SqliteStudyStorage first = await SqliteStudyStorage.OpenAsync(StorePath, Time);
        await using SqliteStudyStorage second = await SqliteStudyStorage.OpenAsync(StorePath, Time);
        StudyInfo study = await first.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await first.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);

        StoredTrial? claimed = await second.ClaimTrialAsync(study.Id, "host:2", CancellationToken.None);
        StoredTrial? none = await first.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        bool finishedByOther = await first.FinishTrialAsync(study.Id, 0, "host:1", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);
        bool finished = await second.FinishTrialAsync(study.Id, 0, "host:2", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);

        Assert.Equal(0, claimed?.Number);
        Assert.Null(none);
        Assert.False(finishedByOther);
        Assert.True(finished);
        Assert.Equal(TrialState.Finished, Assert.Single(await first.GetTrialsAsync(study.Id, CancellationToken.None)).State);
        Assert.Equal(study, await second.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None));
    }

    [Fact]
    public async Task OpenStudyAsync_DifferentSuite_LeavesFileBytesUnchanged()
    {
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            await FillAsync(storage, 3);
        }

        string hash = Hash(StorePath);
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            var error = await Assert.ThrowsAsync<TunerInputException>(
                () => storage.OpenStudyAsync(StorageTestData.Study() with { Suite = "fashion-mlp" }, CancellationToken.None));
            OneLineAssert.Message(
                error,
                $"study 'digits-mlp-smac' in {StorePath} was created for suite 'digits-mlp', not 'fashion-mlp': pass --study NAME for a new study");
        }

        Assert.Equal(hash, Hash(StorePath));
    }

    [Fact]
    public async Task FinishTrialAsync_Record_StoresQueryableStatusAndIsoTimestamps()
    {
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
            await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
            await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(90));
            await storage.FinishTrialAsync(study.Id, 0, "host:1", StorageTestData.Record(TrialStatus.NotReached), CancellationToken.None);
        }

        await using SqliteConnection raw = await OpenRawAsync(StorePath);
        Assert.Equal("not_reached", await ScalarAsync<string>(raw, "SELECT status FROM trials"));
        Assert.Equal("finished", await ScalarAsync<string>(raw, "SELECT state FROM trials"));
        Assert.Equal("2026-01-01T00:01:30.0000000Z", await ScalarAsync<string>(raw, "SELECT finished_at FROM trials"));
        Assert.Equal("2026-01-01T00:00:00.0000000Z", await ScalarAsync<string>(raw, "SELECT created_at FROM studies"));
        Assert.Equal("not_reached", await ScalarAsync<string>(raw, "SELECT json_extract(record_json, '$.status') FROM trials"));
    }

    [Fact]
    public async Task Calls_AfterDisposeAsync_ThrowObjectDisposed()
    {
        SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time);
        await storage.DisposeAsync();
        await storage.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.GetTrialsAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueTrialAsync_UnknownStudy_ThrowsAndWritesNoTrial()
    {
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time);

        await Assert.ThrowsAsync<ArgumentException>(() => storage.EnqueueTrialAsync(77, StorageTestData.Plan(0), CancellationToken.None));

        Assert.Empty(await storage.GetTrialsAsync(77, CancellationToken.None));
    }

    protected override async Task<IStudyStorage> CreateStorageAsync() => await SqliteStudyStorage.OpenAsync(StorePath, Time);

    /// <summary>A study with trials in every state: 0 finished, 1 running, the rest waiting.</summary>
    private static async Task<StudyInfo> FillAsync(SqliteStudyStorage storage, int trials)
    {
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        for (int i = 0; i < trials; i++)
        {
            await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None);
        }

        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        await storage.FinishTrialAsync(study.Id, 0, "host:1", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        return study;
    }

    /// <summary>
    /// Asserts opening <paramref name="path"/> fails with a one-line message naming it, the file's bytes stay the same,
    /// and no file appears beside it (a tuner store may get SQLite's -wal/-shm from the read-only check).
    /// </summary>
    private async Task AssertRefusedAsync(string path, bool ours, params string[] fragments)
    {
        string before = Hash(path);
        string[] filesBefore = FilesBeside(path);

        var error = await Assert.ThrowsAsync<TunerInputException>(() => SqliteStudyStorage.OpenAsync(path, Time));

        OneLineAssert.Message(error, [$"--storage {path} ", .. fragments]);
        Assert.Equal(before, Hash(path));
        Assert.False(File.Exists(path + "-journal"));
        if (!ours)
        {
            Assert.Equal(filesBefore, FilesBeside(path));
        }
    }

    private static string[] FilesBeside(string path) => [.. Directory.GetFiles(Path.GetDirectoryName(path)!).Order(StringComparer.Ordinal)];

    private string WriteFile(string name, byte[] bytes)
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task OpenExistingAsync_NoFile_ThrowsAndCreatesNeitherFileNorFolder()
    {
        var ex = await Assert.ThrowsAsync<TunerInputException>(() => SqliteStudyStorage.OpenExistingAsync(StorePath, Time));

        OneLineAssert.Message(ex, "there is no study store there (nothing was created)");
        Assert.False(Directory.Exists(_folder));
    }

    [Theory]
    [InlineData("record_json", "'{bad'")]
    [InlineData("configuration_json", "'[1,'")]
    [InlineData("unit_json", "'\"not numbers\"'")]
    [InlineData("heartbeat_at", "'yesterday'")]
    public async Task GetTrialsAsync_RowThatDoesNotParse_ThrowsOneLineNamingTrialAndColumnAndChangesNothing(string column, string value)
    {
        long studyId;
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(StorePath, Time))
        {
            studyId = (await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None)).Id;
            await storage.EnqueueTrialAsync(studyId, StorageTestData.Plan(0), CancellationToken.None);
        }

        await using (SqliteConnection raw = await OpenRawAsync(StorePath))
        {
            await ExecuteAsync(raw, $"UPDATE trials SET {column} = {value}");
        }

        await using SqliteStudyStorage again = await SqliteStudyStorage.OpenAsync(StorePath, Time);
        var ex = await Assert.ThrowsAsync<TunerInputException>(() => again.GetTrialsAsync(studyId, CancellationToken.None));

        OneLineAssert.Message(ex, $"the study store holds a damaged row (trial 0 of study id {studyId}: {column} does not parse", "nothing was changed");
        await using SqliteConnection check = await OpenRawAsync(StorePath);
        Assert.Equal(1L, await ScalarAsync<long>(check, "SELECT count(*) FROM trials"));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<SqliteConnection> OpenRawAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }
}
