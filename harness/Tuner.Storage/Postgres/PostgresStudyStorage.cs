using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage.Postgres;

/// <summary>
/// The shared study store: a PostgreSQL database that runners on many machines use at once. Each call takes a
/// connection from the instance's pool (<see cref="NpgsqlDataSource"/>), so one instance serves concurrent calls, and
/// is one statement or one transaction: trial numbers come from a per-study counter whose row lock serialises
/// proposers (dense and unique), claims use <c>FOR UPDATE SKIP LOCKED</c> (no trial handed out twice, no claimer
/// waiting on another), and a record is written together with its final state. The semantics are those of
/// <see cref="SqliteStudyStorage"/>; one contract test suite runs against both.
/// </summary>
/// <remarks>
/// The password given in the URL is kept inside the connection pool only: <see cref="DisplayName"/>,
/// <see cref="ToString"/> and every message show <c>postgres://USER@HOST:PORT/DATABASE</c>. A failure to connect is a
/// one-line <see cref="TunerInputException"/>; <see cref="PostgresErrors.IsTransient"/> tells which failures (server
/// restarting, connection lost, serialization failure, deadlock) are worth retrying.
/// </remarks>
public sealed class PostgresStudyStorage : IStudyStorage
{
    private const string TrialColumns =
        "study_id, number, state, configuration_json, unit_json, fidelity, tag, seed, attempts, worker_id, heartbeat_at, record_json, note";

    private const string StudyColumns =
        "id, name, suite, tuner, tuner_seed, budget, target_metric, target_value, space_json, created_by, created_at";

    private const string SelectStudySql = "SELECT " + StudyColumns + " FROM tuner.studies WHERE name = @name";

    private const string ListStudiesSql = "SELECT " + StudyColumns + " FROM tuner.studies WHERE starts_with(name, @value) ORDER BY id";

    private const string InsertStudySql =
        "INSERT INTO tuner.studies (name, suite, tuner, tuner_seed, budget, target_metric, target_value, space_json, created_by, created_at) " +
        "VALUES (@name, @suite, @tuner, @seed, @budget, @metric, @value, @space, @by, @at) " +
        "ON CONFLICT (name) DO NOTHING RETURNING " + StudyColumns;

    /// <summary>Reserves the study's next number (the row lock on the study serialises proposers until commit) and
    /// inserts the trial with it, in one statement.</summary>
    private const string EnqueueSql =
        "WITH reserved AS (" +
        "UPDATE tuner.studies SET next_trial_number = next_trial_number + 1 WHERE id = @study " +
        "RETURNING id, next_trial_number - 1 AS number) " +
        "INSERT INTO tuner.trials (study_id, number, state, configuration_json, unit_json, fidelity, tag, seed, attempts, created_at) " +
        "SELECT id, number, 'waiting', @configuration, @unit, @fidelity, @tag, @seed, 0, @at FROM reserved " +
        "RETURNING number";

    /// <summary>Takes the lowest-numbered waiting trial that no other claimer holds locked, in one statement.</summary>
    private const string ClaimSql =
        "UPDATE tuner.trials SET state = 'running', worker_id = @worker, attempts = attempts + 1, heartbeat_at = @now " +
        "WHERE (study_id, number) = (" +
        "SELECT study_id, number FROM tuner.trials WHERE study_id = @study AND state = 'waiting' " +
        "ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED) " +
        "AND state = 'waiting' RETURNING " + TrialColumns;

    private const string HeartbeatSql =
        "UPDATE tuner.trials SET heartbeat_at = @now " +
        "WHERE study_id = @study AND number = @number AND state = 'running' AND worker_id = @worker";

    private const string FinishSql =
        "UPDATE tuner.trials SET state = 'finished', record_json = @record, status = @status, finished_at = @now " +
        "WHERE study_id = @study AND number = @number AND state = 'running' AND worker_id = @worker";

    private const string SelectRunningSql =
        "SELECT number, worker_id, attempts, heartbeat_at FROM tuner.trials WHERE study_id = @study AND state = 'running' ORDER BY number";

    private const string StillAsReadCondition =
        "WHERE study_id = @study AND number = @number AND state = 'running' AND worker_id IS NOT DISTINCT FROM @worker " +
        "AND attempts = @attempts AND heartbeat_at IS NOT DISTINCT FROM @heartbeat RETURNING " + TrialColumns;

    private const string AbandonSql =
        "UPDATE tuner.trials SET state = 'abandoned', note = @note, finished_at = @now " + StillAsReadCondition;

    private const string RequeueSql =
        "UPDATE tuner.trials SET state = 'waiting', worker_id = NULL, heartbeat_at = NULL, note = @note " + StillAsReadCondition;

    private const string ReleaseSql =
        "UPDATE tuner.trials SET state = 'waiting', worker_id = NULL, heartbeat_at = NULL, attempts = GREATEST(attempts - 1, 0), note = @note " +
        "WHERE study_id = @study AND number = @number AND state = 'running' AND worker_id = @worker";

    private const string SelectTrialsSql =
        "SELECT " + TrialColumns + " FROM tuner.trials WHERE study_id = @value ORDER BY number";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLocation _location;
    private readonly TimeProvider _time;
    private int _disposed;

    private PostgresStudyStorage(NpgsqlDataSource dataSource, PostgresLocation location, TimeProvider time)
    {
        _dataSource = dataSource;
        _location = location;
        _time = time;
    }

    /// <summary>The schema version this build writes (and the newest it reads).</summary>
    public static int SchemaVersion => PostgresSchema.CurrentVersion;

    /// <summary>The store as <c>postgres://USER@HOST:PORT/DATABASE</c>, for messages and logs: never the password.</summary>
    public string DisplayName => _location.DisplayName;

    /// <summary>
    /// Connects to the database named by <paramref name="connection"/> and makes sure it holds a study store this
    /// build can use (creating schema <c>tuner</c> and its tables when missing, upgrading an older one). Throws a
    /// one-line <see cref="TunerInputException"/>, without the password, for a URL that cannot be read, a server that
    /// cannot be reached or refuses the login, a store from a newer tuner, or a <c>tuner</c> schema tuner did not make.
    /// </summary>
    /// <param name="connection">A <c>postgres://USER:PASSWORD@HOST:PORT/DATABASE</c> URL (or <c>postgresql://</c>,
    /// with libpq parameters such as <c>?sslmode=require</c>), or an Npgsql <c>Host=...;Username=...</c> string.</param>
    /// <param name="time">The clock for timestamps; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static Task<PostgresStudyStorage> OpenAsync(string connection, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAsync(connection, time, existingOnly: false, cancellationToken);

    /// <summary>
    /// As <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/> for commands that need a store that is already
    /// there (report, worker): a database without a study store is a one-line error and nothing is created in it.
    /// </summary>
    public static Task<PostgresStudyStorage> OpenExistingAsync(string connection, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAsync(connection, time, existingOnly: true, cancellationToken);

    private static async Task<PostgresStudyStorage> OpenAsync(string connection, TimeProvider? time, bool existingOnly, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        PostgresLocation location = PostgresLocation.Parse(connection);
        NpgsqlDataSource dataSource = location.CreateDataSource();
        try
        {
            await using (NpgsqlConnection opened = await OpenConnectionAsync(dataSource, location, cancellationToken))
            {
                if (existingOnly && await PostgresSchema.ReadVersionAsync(opened, null, location, cancellationToken) == 0)
                {
                    throw new TunerInputException(
                        $"--storage {location.DisplayName}: there is no study store in that database (nothing was created): name the store the search or nightly run wrote");
                }

                await PostgresSchema.EnsureAsync(opened, location, cancellationToken);
            }

            return new PostgresStudyStorage(dataSource, location, time ?? TimeProvider.System);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <see cref="DisplayName"/>: never the password.</summary>
    public override string ToString() => DisplayName;

    /// <inheritdoc />
    public async Task<StudyInfo> OpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        StudyInfo? existing = await FindStudyAsync(connection, definition.Name, cancellationToken);
        if (existing is null)
        {
            await using (var insert = new NpgsqlCommand(InsertStudySql, connection))
            {
                insert.Parameters.AddWithValue("name", definition.Name);
                insert.Parameters.AddWithValue("suite", definition.Suite);
                insert.Parameters.AddWithValue("tuner", definition.Tuner);
                insert.Parameters.AddWithValue("seed", definition.TunerSeed);
                insert.Parameters.AddWithValue("budget", definition.Budget.ToString());
                insert.Parameters.AddWithValue("metric", definition.TargetMetric);
                insert.Parameters.AddWithValue("value", definition.TargetValue);
                insert.Parameters.AddWithValue("space", definition.SpaceJson);
                insert.Parameters.AddWithValue("by", definition.CreatedBy);
                insert.Parameters.AddWithValue("at", Now());
                await using NpgsqlDataReader reader = await insert.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return ReadStudy(reader);
                }
            }

            // Another process created it between the look-up and the insert: compare with theirs.
            existing = await FindStudyAsync(connection, definition.Name, cancellationToken)
                ?? throw new InvalidOperationException($"study '{SqliteStoreFile.OneLine(definition.Name, 120)}' in {DisplayName} vanished while it was being created");
        }

        string? difference = StudyDefinitionDifference.Describe(existing.Definition, definition);
        return difference is null
            ? existing
            : throw new TunerInputException(
                $"study '{SqliteStoreFile.OneLine(definition.Name, 120)}' in {DisplayName} was created {difference}: pass --study NAME for a new study");
    }

    /// <inheritdoc />
    public async Task<StoredTrial> EnqueueTrialAsync(long studyId, TrialPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(plan.Configuration);
        ArgumentNullException.ThrowIfNull(plan.Unit);
        string configurationJson = SqliteValues.Configuration(plan.Configuration);
        string unitJson = SqliteValues.Unit(plan.Unit);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(EnqueueSql, connection);
        insert.Parameters.AddWithValue("study", studyId);
        insert.Parameters.Add(Json("configuration", configurationJson));
        insert.Parameters.Add(Json("unit", unitJson));
        insert.Parameters.AddWithValue("fidelity", plan.Fidelity);
        insert.Parameters.Add(Text("tag", plan.Tag));
        insert.Parameters.AddWithValue("seed", plan.Seed);
        insert.Parameters.AddWithValue("at", Now());
        object? number = await insert.ExecuteScalarAsync(cancellationToken);
        return number is int value
            ? new StoredTrial(studyId, value, TrialState.Waiting, plan, 0, null, null, null, null)
            : throw UnknownStudy(studyId);
    }

    /// <inheritdoc />
    public async Task<StoredTrial?> ClaimTrialAsync(long studyId, string workerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        await using var claim = new NpgsqlCommand(ClaimSql, connection);
        claim.Parameters.AddWithValue("worker", workerId);
        claim.Parameters.AddWithValue("now", Now());
        claim.Parameters.AddWithValue("study", studyId);
        await using NpgsqlDataReader reader = await claim.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadTrial(reader) : null;
    }

    /// <inheritdoc />
    public async Task<bool> HeartbeatAsync(long studyId, int number, string workerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        await using var update = new NpgsqlCommand(HeartbeatSql, connection);
        update.Parameters.AddWithValue("now", Now());
        update.Parameters.AddWithValue("study", studyId);
        update.Parameters.AddWithValue("number", number);
        update.Parameters.AddWithValue("worker", workerId);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> FinishTrialAsync(long studyId, int number, string workerId, TrialRecord record, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(record);
        string recordJson = TrialRecordJson.Serialize(record);
        string status = SqliteValues.Status(record.Status);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        await using var update = new NpgsqlCommand(FinishSql, connection);
        update.Parameters.Add(Json("record", recordJson));
        update.Parameters.AddWithValue("status", status);
        update.Parameters.AddWithValue("now", Now());
        update.Parameters.AddWithValue("study", studyId);
        update.Parameters.AddWithValue("number", number);
        update.Parameters.AddWithValue("worker", workerId);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseTrialAsync(long studyId, int number, string workerId, string note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        await using var update = new NpgsqlCommand(ReleaseSql, connection);
        update.Parameters.AddWithValue("note", note);
        update.Parameters.AddWithValue("study", studyId);
        update.Parameters.AddWithValue("number", number);
        update.Parameters.AddWithValue("worker", workerId);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The running trials are read first and <paramref name="isWorkerAlive"/> is asked outside any transaction; each
    /// trial is then moved, in one transaction, only if it is still exactly as read (same worker, attempts and
    /// heartbeat), so a worker that sends a heartbeat or finishes meanwhile keeps its trial.
    /// </remarks>
    public async Task<IReadOnlyList<StoredTrial>> RequeueAbandonedAsync(
        long studyId, TimeSpan staleAfter, int maxAttempts, Func<string, bool>? isWorkerAlive, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(staleAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        var running = new List<(int Number, string? Worker, int Attempts, DateTimeOffset? Heartbeat)>();
        await using (var select = new NpgsqlCommand(SelectRunningSql, connection))
        {
            select.Parameters.AddWithValue("study", studyId);
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                running.Add((
                    reader.GetInt32(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        DateTimeOffset now = Now();
        var moves = WorkerLiveness.Decide(running.Select(t => new WorkerLiveness.Running<DateTimeOffset?>(t.Item1, t.Item2, t.Item3, t.Item4, t.Item4)), now, staleAfter, maxAttempts, isWorkerAlive);
        if (moves.Count == 0)
        {
            return Array.Empty<StoredTrial>();
        }

        var moved = new List<StoredTrial>();
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var move in moves)
        {
            await using var update = new NpgsqlCommand(move.Abandon ? AbandonSql : RequeueSql, connection, transaction);
            update.Parameters.AddWithValue("note", move.Note);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.AddWithValue("study", studyId);
            update.Parameters.AddWithValue("number", move.Trial.Number);
            update.Parameters.Add(Text("worker", move.Trial.Worker));
            update.Parameters.AddWithValue("attempts", move.Trial.Attempts);
            update.Parameters.Add(new NpgsqlParameter("heartbeat", NpgsqlDbType.TimestampTz) { Value = move.Trial.Heartbeat is { } beat ? beat : DBNull.Value });
            await using NpgsqlDataReader reader = await update.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                moved.Add(ReadTrial(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <inheritdoc />
    public async Task<StudyInfo?> FindStudyAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        return await FindStudyAsync(connection, name, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(string namePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namePrefix);
        return SelectAllAsync(ListStudiesSql, namePrefix, ReadStudy, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTrial>> GetTrialsAsync(long studyId, CancellationToken cancellationToken) =>
        SelectAllAsync(SelectTrialsSql, studyId, ReadTrial, cancellationToken);

    /// <summary>Every row of a query with one parameter <c>@value</c>, read with <paramref name="read"/>.</summary>
    private async Task<IReadOnlyList<T>> SelectAllAsync<T>(string sql, object value, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken);
        var rows = new List<T>();
        await using var select = new NpgsqlCommand(sql, connection);
        select.Parameters.AddWithValue("value", value);
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Closes the pool's connections; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>Opens a pooled connection, turning a failure to connect into the one-line "cannot connect" error.</summary>
    private static async Task<NpgsqlConnection> OpenConnectionAsync(NpgsqlDataSource dataSource, PostgresLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (PostgresErrors.IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.CannotConnect(location, ex);
        }
    }

    private static async Task<StudyInfo?> FindStudyAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(SelectStudySql, connection);
        select.Parameters.AddWithValue("name", name);
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadStudy(reader) : null;
    }

    private static NpgsqlParameter Json(string name, string json) => new(name, NpgsqlDbType.Json) { Value = json };

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static StudyInfo ReadStudy(System.Data.Common.DbDataReader reader) => StoredRows.ReadStudy(reader, (r, i) => r.GetFieldValue<DateTimeOffset>(i));

    /// <summary>Reads a row selected (or returned) with <see cref="TrialColumns"/>.</summary>
    private static StoredTrial ReadTrial(System.Data.Common.DbDataReader reader) => StoredRows.ReadTrial(reader, (r, i) => r.GetFieldValue<DateTimeOffset>(i));

    /// <summary>The clock's time at PostgreSQL's precision (microseconds), so what a call returns equals what it stored.</summary>
    private DateTimeOffset Now()
    {
        long ticks = _time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private ArgumentException UnknownStudy(long studyId) =>
        new(string.Create(CultureInfo.InvariantCulture, $"there is no study with id {studyId} in {DisplayName}"), nameof(studyId));

    private Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return OpenConnectionAsync(_dataSource, _location, cancellationToken);
    }
}
