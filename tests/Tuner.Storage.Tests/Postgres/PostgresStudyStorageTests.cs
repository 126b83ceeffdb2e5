using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Storage.Postgres;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage.Tests.Postgres;

/// <summary>
/// The storage contract against a real PostgreSQL server (a private throw-away cluster, <see cref="PostgresServer"/>),
/// each test on a database of its own, plus what only the PostgreSQL store has: URL and connection-string handling,
/// the password kept out of every message and name, the schema it creates and refuses, and claims under real
/// concurrency.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresStudyStorageTests : StudyStorageContractTests
{
    private readonly PostgresServer _server;
    private string? _database;

    public PostgresStudyStorageTests(PostgresServer server)
    {
        _server = server;
    }

    private string Database => _database ?? throw new InvalidOperationException("no test database yet");

    private string Url => _server.Url(Database);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _database = await _server.CreateDatabaseAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _server.DropDatabaseAsync(_database);
        }
    }

    [Fact]
    public async Task PasswordFromPgpasswordVariable_OpensAndIsMaskedLikeAGivenOne()
    {
        string? before = Environment.GetEnvironmentVariable(PostgresLocation.PasswordVariable);
        Environment.SetEnvironmentVariable(PostgresLocation.PasswordVariable, _server.Password);
        try
        {
            WorkerStore store = StoreLocation.ForWorkers(Url, "test");
            Assert.DoesNotContain(PostgresServer.PasswordMarker, store.Location, StringComparison.Ordinal);
            await using IStudyStorage storage = await StudyStorage.OpenAsync(store.Location, null, CancellationToken.None); // the password from the variable
            Assert.Empty(await storage.ListStudiesAsync(string.Empty, CancellationToken.None));
            Assert.Equal("x *** y", PostgresLocation.Parse(store.Location).Redact("x " + _server.Password + " y"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(PostgresLocation.PasswordVariable, before);
        }
    }

    [Fact]
    public async Task OpenAsync_EmptyDatabase_CreatesTunerSchemaWithMetaRows()
    {
        await using (await PostgresStudyStorage.OpenAsync(Url, Time))
        {
        }

        await using NpgsqlConnection raw = await OpenRawAsync();
        Assert.Equal(
            "studies,trials,tuner_meta",
            await ScalarAsync<string>(raw, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'tuner'"));
        Assert.Equal("tuner-study-store", await ScalarAsync<string>(raw, "SELECT value FROM tuner.tuner_meta WHERE key = 'application'"));
        Assert.Equal(
            PostgresStudyStorage.SchemaVersion.ToString(CultureInfo.InvariantCulture),
            await ScalarAsync<string>(raw, "SELECT value FROM tuner.tuner_meta WHERE key = 'schema_version'"));
        Assert.Equal(0L, await ScalarAsync<long>(raw, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public async Task OpenExistingAsync_DatabaseWithoutAStore_ThrowsAndCreatesNothing()
    {
        var ex = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenExistingAsync(Url, Time));

        OneLineAssert.Message(ex, "there is no study store in that database (nothing was created)");
        Assert.DoesNotContain(PostgresServer.PasswordMarker, ex.Message, StringComparison.Ordinal);
        await using NpgsqlConnection raw = await OpenRawAsync();
        Assert.Equal(0L, await ScalarAsync<long>(raw, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'tuner'"));
    }

    [Fact]
    public async Task OpenExistingAsync_AStore_Opens()
    {
        await using (await PostgresStudyStorage.OpenAsync(Url, Time))
        {
        }

        await using IStudyStorage storage = await StudyStorage.OpenExistingAsync(Url, Time, CancellationToken.None);
        Assert.Empty(await storage.ListStudiesAsync(string.Empty, CancellationToken.None));
    }

    [Fact]
    public async Task OpenAsync_SixInstancesOnANewDatabaseAtOnce_AllOpenOneStore()
    {
        PostgresStudyStorage[] storages = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresStudyStorage.OpenAsync(Url, Time))));
        try
        {
            StudyInfo[] studies = await Task.WhenAll(storages.Select(s => Task.Run(() => s.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None))));

            Assert.Single(studies.Distinct());
        }
        finally
        {
            foreach (PostgresStudyStorage storage in storages)
            {
                await storage.DisposeAsync();
            }
        }

        await using NpgsqlConnection raw = await OpenRawAsync();
        Assert.Equal(1L, await ScalarAsync<long>(raw, "SELECT count(*) FROM tuner.studies"));
        Assert.Equal(2L, await ScalarAsync<long>(raw, "SELECT count(*) FROM tuner.tuner_meta"));
    }

    [Fact]
    public async Task OpenAsync_NewerSchemaVersion_ThrowsUpgradeWithoutPasswordAndLeavesStoreUnchanged()
    {
        await using (PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(Url, Time))
        {
            await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        }

        await using NpgsqlConnection raw = await OpenRawAsync();
        await ExecuteAsync(raw, "UPDATE tuner.tuner_meta SET value = '99' WHERE key = 'schema_version'");

        var error = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenAsync(Url, Time));

        OneLineAssert.Message(
            error,
            $"--storage {_server.DisplayName(Database)} was written by a newer tuner",
            "schema version 99",
            "this build reads up to 1",
            "upgrade tuner");
        AssertNoPassword(error);
        Assert.Equal("99", await ScalarAsync<string>(raw, "SELECT value FROM tuner.tuner_meta WHERE key = 'schema_version'"));
        Assert.Equal(1L, await ScalarAsync<long>(raw, "SELECT count(*) FROM tuner.studies"));
    }

    [Fact]
    public async Task OpenAsync_ForeignTunerSchema_ThrowsNotAStoreAndTouchesNothing()
    {
        await using NpgsqlConnection raw = await OpenRawAsync();
        await ExecuteAsync(raw, "CREATE SCHEMA tuner");
        await ExecuteAsync(raw, "CREATE TABLE tuner.customers (id integer PRIMARY KEY, name text)");

        var error = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenAsync(Url, Time));

        OneLineAssert.Message(error, "has a schema 'tuner' that is not a Tuner study store", "customers", "pass another database");
        Assert.Equal(
            "customers",
            await ScalarAsync<string>(raw, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'tuner'"));
    }

    [Fact]
    public async Task OpenAsync_EmptyTunerSchemaMadeByAnAdmin_IsUsed()
    {
        await using (NpgsqlConnection raw = await OpenRawAsync())
        {
            await ExecuteAsync(raw, "CREATE SCHEMA tuner");
        }

        await using PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(Url, Time);
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);

        Assert.Equal(0, (await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None)).Number);
    }

    [Fact]
    public async Task DisplayNameAndToString_UrlWithPassword_ShowUserHostPortDatabaseOnly()
    {
        await using PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(Url, Time);

        Assert.Equal(_server.DisplayName(Database), storage.DisplayName);
        Assert.Equal(_server.DisplayName(Database), storage.ToString());
        AssertNoPassword(storage.DisplayName);
    }

    [Fact]
    public async Task OpenAsync_NpgsqlConnectionString_OpensTheSameStoreAndHidesThePassword()
    {
        await using PostgresStudyStorage byUrl = await PostgresStudyStorage.OpenAsync(Url, Time);
        StudyInfo study = await byUrl.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await byUrl.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);

        await using PostgresStudyStorage byString = await PostgresStudyStorage.OpenAsync(_server.ConnectionString(Database), Time);

        Assert.Equal(_server.DisplayName(Database), byString.DisplayName);
        Assert.Single(await byString.GetTrialsAsync(study.Id, CancellationToken.None));
    }

    [Fact]
    public async Task OpenAsync_PostgresqlScheme_Opens()
    {
        string url = "postgresql" + Url["postgres".Length..];

        await using PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(url, Time);

        Assert.Equal("postgresql" + _server.DisplayName(Database)["postgres".Length..], storage.DisplayName);
    }

    [Fact]
    public async Task OpenAsync_WrongPassword_ThrowsCannotConnectWithoutEitherPasswordAndNotTransient()
    {
        string wrong = "wrong-" + PostgresServer.PasswordMarker;
        string url = string.Create(CultureInfo.InvariantCulture, $"postgres://{PostgresServer.User}:{wrong}@{PostgresServer.Host}:{_server.Port}/{Database}");

        var error = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenAsync(url, Time));

        OneLineAssert.Message(
            error,
            $"cannot connect to {_server.DisplayName(Database)}: ",
            "password authentication failed",
            "28P01",
            "; check that the server runs and the URL is right");
        AssertNoPassword(error);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.False(PostgresErrors.IsTransient(error));
    }

    [Fact]
    public async Task OpenAsync_NothingListensOnThePort_ThrowsCannotConnectWithoutPasswordAndTransient()
    {
        int port = ClosedPort();
        string url = string.Create(
            CultureInfo.InvariantCulture, $"postgres://{PostgresServer.User}:{Uri.EscapeDataString(_server.Password)}@127.0.0.1:{port}/{Database}");

        var error = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenAsync(url, Time));

        OneLineAssert.Message(
            error,
            string.Create(CultureInfo.InvariantCulture, $"cannot connect to postgres://{PostgresServer.User}@127.0.0.1:{port}/{Database}: "),
            "check that the server runs and the URL is right");
        AssertNoPassword(error);
        Assert.True(PostgresErrors.IsTransient(error), error.ToString());
    }

    [Fact]
    public async Task OpenAsync_UnknownHost_ThrowsCannotConnectWithoutPassword()
    {
        string url = $"postgres://{PostgresServer.User}:{Uri.EscapeDataString(_server.Password)}@no-such-host.invalid:5432/{Database}?connect_timeout=5";

        var error = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenAsync(url, Time));

        OneLineAssert.Message(error, $"cannot connect to postgres://{PostgresServer.User}@no-such-host.invalid:5432/{Database}: ", "check that the server runs");
        AssertNoPassword(error);
    }

    [Fact]
    public async Task OpenAsync_MissingDatabase_ThrowsCannotConnectNamingItAndNotTransient()
    {
        string url = _server.Url("no_such_database");

        var error = await Assert.ThrowsAsync<TunerInputException>(() => PostgresStudyStorage.OpenAsync(url, Time));

        OneLineAssert.Message(error, $"cannot connect to {_server.DisplayName("no_such_database")}: ", "does not exist", "3D000");
        AssertNoPassword(error);
        Assert.False(PostgresErrors.IsTransient(error));
    }

    [Fact]
    public async Task ClaimTrialAsync_FourInstancesEachWithFourClaimersOverFourHundredTrials_EachTrialClaimedExactlyOnce()
    {
        IStudyStorage setup = await OpenStorageAsync();
        StudyInfo study = await setup.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        IStudyStorage[] storages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStorageAsync()));
        await Task.WhenAll(storages.Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await s.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None);
            }
        })));

        var claims = new ConcurrentBag<(int Number, string Worker)>();
        await Task.WhenAll(storages.SelectMany((s, instance) => Enumerable.Range(0, 4).Select(claimer => Task.Run(async () =>
        {
            string worker = string.Create(CultureInfo.InvariantCulture, $"host{instance}:{claimer}");
            while (await s.ClaimTrialAsync(study.Id, worker, CancellationToken.None) is { } trial)
            {
                Assert.Equal(worker, trial.WorkerId);
                claims.Add((trial.Number, worker));
            }
        }))));

        Assert.Equal(Enumerable.Range(0, 400), claims.Select(c => c.Number).Order());
        IReadOnlyList<StoredTrial> stored = await setup.GetTrialsAsync(study.Id, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 400), stored.Select(t => t.Number));
        Assert.All(stored, t =>
        {
            Assert.Equal(TrialState.Running, t.State);
            Assert.Equal(1, t.Attempts);
            Assert.Equal(claims.Single(c => c.Number == t.Number).Worker, t.WorkerId);
        });
    }

    [Fact]
    public async Task EnqueueAndClaim_ProposersAndClaimersInterleaved_NumbersDenseAndNoTrialTwice()
    {
        IStudyStorage setup = await OpenStorageAsync();
        StudyInfo study = await setup.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        IStudyStorage[] storages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStorageAsync()));
        var claims = new ConcurrentBag<int>();
        int proposersDone = 0;

        Task[] proposers = [.. storages.Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                await s.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None);
            }

            Interlocked.Increment(ref proposersDone);
        }))];
        Task[] claimers = [.. storages.Select((s, w) => Task.Run(async () =>
        {
            while (true)
            {
                bool done = Volatile.Read(ref proposersDone) == storages.Length;
                if (await s.ClaimTrialAsync(study.Id, $"host:{w}", CancellationToken.None) is { } trial)
                {
                    claims.Add(trial.Number);
                }
                else if (done)
                {
                    return;
                }
            }
        }))];
        await Task.WhenAll([.. proposers, .. claimers]);

        Assert.Equal(Enumerable.Range(0, 100), claims.Order());
    }

    [Fact]
    public async Task FinishTrialAsync_Record_StoresQueryableStatusJsonAndTimestamps()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(90));
        await storage.FinishTrialAsync(study.Id, 0, "host:1", StorageTestData.Record(TrialStatus.NotReached), CancellationToken.None);

        await using NpgsqlConnection raw = await OpenRawAsync();
        Assert.Equal("not_reached", await ScalarAsync<string>(raw, "SELECT status FROM tuner.trials"));
        Assert.Equal("finished", await ScalarAsync<string>(raw, "SELECT state FROM tuner.trials"));
        Assert.Equal("not_reached", await ScalarAsync<string>(raw, "SELECT record_json ->> 'status' FROM tuner.trials"));
        Assert.Equal("2026-01-01T00:01:30Z", await ScalarAsync<string>(raw, "SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM tuner.trials"));
        Assert.Equal("2026-01-01T00:00:00Z", await ScalarAsync<string>(raw, "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM tuner.studies"));
    }

    [Fact]
    public async Task Timestamps_SubMicrosecondClock_ReturnedAsStored()
    {
        Time.Advance(TimeSpan.FromTicks(1234567));
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo created = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(created.Id, StorageTestData.Plan(0), CancellationToken.None);
        StoredTrial? claimed = await storage.ClaimTrialAsync(created.Id, "host:1", CancellationToken.None);

        StudyInfo reopened = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);

        Assert.Equal(created.CreatedAt, reopened.CreatedAt);
        Assert.Equal(0, created.CreatedAt.UtcTicks % 10);
        Assert.Equal(claimed?.HeartbeatAt, Assert.Single(await storage.GetTrialsAsync(created.Id, CancellationToken.None)).HeartbeatAt);
    }

    [Fact]
    public async Task Calls_AfterDisposeAsync_ThrowObjectDisposed()
    {
        PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(Url, Time);
        await storage.DisposeAsync();
        await storage.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.GetTrialsAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueTrialAsync_UnknownStudy_ThrowsAndWritesNoTrial()
    {
        await using PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(Url, Time);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => storage.EnqueueTrialAsync(77, StorageTestData.Plan(0), CancellationToken.None));

        Assert.Contains(_server.DisplayName(Database), error.Message, StringComparison.Ordinal);
        Assert.Empty(await storage.GetTrialsAsync(77, CancellationToken.None));
    }

    [Fact]
    public async Task OpenStudyAsync_DifferentSuite_NamesTheStoreWithoutPassword()
    {
        await using PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(Url, Time);
        await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<TunerInputException>(
            () => storage.OpenStudyAsync(StorageTestData.Study() with { Suite = "fashion-mlp" }, CancellationToken.None));

        OneLineAssert.Message(
            error,
            $"study 'digits-mlp-smac' in {_server.DisplayName(Database)} was created for suite 'digits-mlp', not 'fashion-mlp': pass --study NAME for a new study");
        AssertNoPassword(error);
    }

    [Fact]
    public async Task StudyStorage_OpenAsync_RoutesUrlsAndConnectionStringsToPostgresAndPathsToSqlite()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tuner-storage-route-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (IStudyStorage byUrl = await StudyStorage.OpenAsync(Url, Time, CancellationToken.None))
            await using (IStudyStorage byString = await StudyStorage.OpenAsync(_server.ConnectionString(Database), Time, CancellationToken.None))
            await using (IStudyStorage byPath = await StudyStorage.OpenAsync(Path.Combine(folder, "studies.db"), Time, CancellationToken.None))
            {
                Assert.IsType<PostgresStudyStorage>(byUrl);
                Assert.IsType<PostgresStudyStorage>(byString);
                Assert.IsType<SqliteStudyStorage>(byPath);
            }

            Assert.True(File.Exists(Path.Combine(folder, "studies.db")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("postgres://u:p@h/db", true)]
    [InlineData("POSTGRESQL://h/db", true)]
    [InlineData("Host=db.example;Username=u", true)]
    [InlineData("Username=u; server = db.example", true)]
    [InlineData("results/studies.db", false)]
    [InlineData("/var/lib/tuner/Host=1.db", false)]
    [InlineData("studies.db", false)]
    public void StudyStorage_IsPostgres_TellsUrlsAndConnectionStringsFromPaths(string location, bool expected)
    {
        Assert.Equal(expected, StudyStorage.IsPostgres(location));
    }

    [Fact]
    public async Task StudyStorage_OpenAsync_OtherScheme_ThrowsUnknownSchemeWithoutPassword()
    {
        string url = $"postgress://tuner:{PostgresServer.PasswordMarker}@db.example/tuner";

        var error = await Assert.ThrowsAsync<TunerInputException>(() => StudyStorage.OpenAsync(url, Time, CancellationToken.None));

        OneLineAssert.Message(error, "--storage postgress://tuner:***@db.example/tuner has the unknown scheme 'postgress'", "postgres://");
        AssertNoPassword(error);
    }

    [Theory]
    [InlineData("postgres://alice:secret@db.example.com:6543/studies", "alice", "secret", "db.example.com", 6543, "studies", "postgres://alice@db.example.com:6543/studies")]
    [InlineData("postgresql://alice@db.example.com/studies", "alice", null, "db.example.com", 5432, "studies", "postgresql://alice@db.example.com:5432/studies")]
    [InlineData("postgres://al%40ce:p%40ss%3Aw%2Fo%3Frd@db/st%20udies", "al@ce", "p@ss:w/o?rd", "db", 5432, "st udies", "postgres://al@ce@db:5432/st udies")]
    [InlineData("postgres://bob:p@ss@db:5433/x", "bob", "p@ss", "db", 5433, "x", "postgres://bob@db:5433/x")]
    [InlineData("postgres://bob:pw@[::1]:5433/x", "bob", "pw", "::1", 5433, "x", "postgres://bob@[::1]:5433/x")]
    [InlineData("postgres://db?user=carol&password=hunter22&dbname=runs&port=7000", "carol", "hunter22", "db", 7000, "runs", "postgres://carol@db:7000/runs")]
    [InlineData("postgres://dave:pw@h1:5432,h2:5433/x", "dave", "pw", "h1:5432,h2:5433", 5432, "x", "postgres://dave@h1:5432,h2:5433/x")]
    [InlineData("Host=db.example;Port=6000;Username=erin;Password=topsecret;Database=runs", "erin", "topsecret", "db.example", 6000, "runs", "postgres://erin@db.example:6000/runs")]
    public void PostgresLocation_Parse_ReadsEveryPartAndShowsNoPassword(
        string text, string user, string? password, string host, int port, string database, string display)
    {
        var location = PostgresLocation.Parse(text);
        NpgsqlConnectionStringBuilder builder = location.ToBuilder();

        Assert.Equal(user, builder.Username);
        Assert.Equal(password, builder.Password);
        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
        Assert.Equal(display, location.DisplayName);
        Assert.Equal(display, location.ToString());
        Assert.Equal("tuner", builder.ApplicationName);
        if (password is not null)
        {
            Assert.DoesNotContain(password, location.DisplayName, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PostgresLocation_Parse_QueryParameters_MapToNpgsqlSettings()
    {
        var location = PostgresLocation.Parse(
            "postgres://u:pw@db/x?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=7&command_timeout=60&application_name=runner-3&target_session_attrs=read-write");
        NpgsqlConnectionStringBuilder builder = location.ToBuilder();

        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("/etc/ca.pem", builder.RootCertificate);
        Assert.Equal(7, builder.Timeout);
        Assert.Equal(60, builder.CommandTimeout);
        Assert.Equal("runner-3", builder.ApplicationName);
        Assert.Equal("read-write", builder.TargetSessionAttributes);
        Assert.False(builder.PersistSecurityInfo);
    }

    [Theory]
    [InlineData("postgres://u:{0}@db:notaport/x", "port 'notaport' is not a number from 1 to 65535")]
    [InlineData("postgres://u:{0}@db:70000/x", "port '70000'")]
    [InlineData("postgres://u:{0}@/x", "it names no host")]
    [InlineData("postgres://u:{0}@db/x?colour=blue", "unknown parameter 'colour'")]
    [InlineData("postgres://u:{0}@db/x?sslmode=always", "sslmode 'always'")]
    [InlineData("postgres://u@db/x?password={0}&bogus=1", "unknown parameter 'bogus'")]
    [InlineData("postgres://u:{0}@[::1/x", "closing ']'")]
    public void PostgresLocation_Parse_BadUrl_ThrowsOneLineWithoutPassword(string template, string expected)
    {
        string url = string.Format(CultureInfo.InvariantCulture, template, PostgresServer.PasswordMarker);

        var error = Assert.Throws<TunerInputException>(() => PostgresLocation.Parse(url));

        OneLineAssert.Message(error, "is not a valid PostgreSQL URL", expected, "postgres://USER:PASSWORD@HOST:PORT/DATABASE");
        Assert.DoesNotContain(PostgresServer.PasswordMarker, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password={0};Colour=blue")]
    [InlineData("Host=db;Password={0};Port=notaport")]
    [InlineData("Password={0};Username=u")]
    public void PostgresLocation_Parse_BadConnectionString_ThrowsOneLineWithoutPassword(string template)
    {
        string text = string.Format(CultureInfo.InvariantCulture, template, PostgresServer.PasswordMarker);

        var error = Assert.Throws<TunerInputException>(() => PostgresLocation.Parse(text));

        OneLineAssert.Message(error, "--storage: the PostgreSQL connection string");
        Assert.DoesNotContain(PostgresServer.PasswordMarker, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("40001", true)]
    [InlineData("40P01", true)]
    [InlineData("57P01", true)]
    [InlineData("57P03", true)]
    [InlineData("53300", true)]
    [InlineData("08006", true)]
    [InlineData("28P01", false)]
    [InlineData("3D000", false)]
    [InlineData("23505", false)]
    [InlineData("42P01", false)]
    public void IsTransient_PostgresSqlState_RetriesOnlyWhatMayPassByItself(string sqlState, bool expected)
    {
        var postgres = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(expected, PostgresErrors.IsTransient(postgres));
        Assert.Equal(expected, PostgresErrors.IsTransient(new TunerInputException("cannot connect to postgres://u@h:5432/d: x", postgres)));
        Assert.Equal(expected, PostgresErrors.IsTransient(new NpgsqlException("wrapped", postgres)));
    }

    [Fact]
    public void IsTransient_NetworkAndOtherErrors_TellRestartFromTypo()
    {
        Assert.True(PostgresErrors.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(PostgresErrors.IsTransient(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(PostgresErrors.IsTransient(new NpgsqlException("pool exhausted", new TimeoutException())));
        Assert.False(PostgresErrors.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.HostNotFound))));
        Assert.False(PostgresErrors.IsTransient(new OperationCanceledException()));
        Assert.False(PostgresErrors.IsTransient(new TunerInputException("bad URL")));
        Assert.False(PostgresErrors.IsTransient(new InvalidOperationException("bug")));
    }

    protected override async Task<IStudyStorage> CreateStorageAsync() => await PostgresStudyStorage.OpenAsync(Url, Time);

    /// <summary>A port on 127.0.0.1 that nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void AssertNoPassword(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            AssertNoPassword(current.Message);
        }

        AssertNoPassword(error.ToString());
    }

    private void AssertNoPassword(string text)
    {
        Assert.DoesNotContain(PostgresServer.PasswordMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(_server.Password), text, StringComparison.Ordinal);
    }

    private async Task<NpgsqlConnection> OpenRawAsync()
    {
        var connection = new NpgsqlConnection(_server.ConnectionString(Database));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        object? value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }
}
