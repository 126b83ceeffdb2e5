using System.Globalization;
using Microsoft.Data.Sqlite;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;

namespace Tuner.Storage.Sqlite;

/// <summary>
/// The embedded study store: one SQLite file (WAL journal, so readers never block the writer) that several runner
/// processes on one machine can share. Each instance keeps one connection and lets one call at a time use it; every
/// write is one <c>BEGIN IMMEDIATE</c> transaction or one statement, so trial numbers are dense and unique and no trial
/// is claimed twice, even across processes. A write that waits longer than the busy timeout for another process
/// throws its <see cref="SqliteException"/> (SQLITE_BUSY) to the caller, which may retry.
/// </summary>
public sealed class SqliteStudyStorage : IStudyStorage
{
    /// <summary>How long a statement waits for another connection's write lock before failing with SQLITE_BUSY.</summary>
    public const int BusyTimeoutSeconds = 10;

    private const string TrialColumns =
        "study_id, number, state, configuration_json, unit_json, fidelity, tag, seed, attempts, worker_id, heartbeat_at, record_json, note";

    private const string StudyColumns =
        "id, name, suite, tuner, tuner_seed, budget, target_metric, target_value, space_json, created_by, created_at";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly string _displayPath;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private SqliteStudyStorage(SqliteConnection connection, TimeProvider time, string displayPath, string fullPath)
    {
        _connection = connection;
        _time = time;
        _displayPath = displayPath;
        FilePath = fullPath;
    }

    /// <summary>The schema version this build writes (and the newest it reads).</summary>
    public static int SchemaVersion => SqliteSchema.CurrentVersion;

    /// <summary>The full path of the store's file.</summary>
    public string FilePath { get; }

    /// <summary>The file path (what the CLI prints as the store).</summary>
    public override string ToString() => FilePath;

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the file (and its folder) when missing and upgrading an
    /// older schema. Before anything is written the file is checked: a file that is not a SQLite database, a SQLite
    /// database tuner did not make, a damaged store or one from a newer tuner is refused with a one-line
    /// <see cref="TunerInputException"/> and left untouched.
    /// </summary>
    /// <param name="path">The store's file as the user wrote it (messages quote it as <c>--storage PATH</c>).</param>
    /// <param name="time">The clock for timestamps; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static Task<SqliteStudyStorage> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, time, existingOnly: false, cancellationToken);

    /// <summary>As <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/>, for read-only commands: a missing or empty file is a one-line error and nothing is created.</summary>
    public static Task<SqliteStudyStorage> OpenExistingAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, time, existingOnly: true, cancellationToken);

    private static async Task<SqliteStudyStorage> OpenAsync(string path, TimeProvider? time, bool existingOnly, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath;
        try
        {
            fullPath = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new TunerInputException($"--storage {path} is not a valid file path ({SqliteStoreFile.OneLine(ex.Message)}): pass a file path such as results/studies.db", ex);
        }

        SqliteConnection? connection = null;
        try
        {
            if (await SqliteStoreFile.InspectAsync(path, fullPath, cancellationToken) == StoreFileKind.Tuner)
            {
                await SqliteStoreFile.VerifyExistingAsync(path, fullPath, cancellationToken);
            }
            else if (existingOnly)
            {
                throw new TunerInputException($"--storage {path}: there is no study store there (nothing was created): name the store the search or nightly run wrote, e.g. --storage results/studies.db");
            }
            else
            {
                CreateFolder(path, fullPath);
            }

            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                ForeignKeys = true,
                DefaultTimeout = BusyTimeoutSeconds,
            };
            connection = new SqliteConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000", cancellationToken);
            await EnsureSchemaAsync(connection, path, cancellationToken);
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken);
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", cancellationToken);
            await ExecuteAsync(connection, "PRAGMA foreign_keys = ON", cancellationToken);

            var storage = new SqliteStudyStorage(connection, time ?? TimeProvider.System, path, fullPath);
            connection = null;
            return storage;
        }
        catch (SqliteException ex) when (SqliteStoreFile.Translate(ex, path) is { } input)
        {
            throw input;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <inheritdoc />
    public Task<StudyInfo> OpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name);
        return UseAsync(
            async ct =>
            {
                await using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                StudyInfo? existing = null;
                await using (SqliteCommand select = _connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = "SELECT " + StudyColumns + " FROM studies WHERE name = $name";
                    select.Parameters.AddWithValue("$name", definition.Name);
                    await using SqliteDataReader reader = await select.ExecuteReaderAsync(ct);
                    if (await reader.ReadAsync(ct))
                    {
                        existing = ReadStudy(reader);
                    }
                }

                if (existing is not null)
                {
                    string? difference = StudyDefinitionDifference.Describe(existing.Definition, definition);
                    if (difference is not null)
                    {
                        await transaction.RollbackAsync(ct);
                        throw new TunerInputException(
                            $"study '{SqliteStoreFile.OneLine(definition.Name, 120)}' in {_displayPath} was created {difference}: pass --study NAME for a new study");
                    }

                    await transaction.CommitAsync(ct);
                    return existing;
                }

                DateTimeOffset now = _time.GetUtcNow();
                long id;
                await using (SqliteCommand insert = _connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText =
                        "INSERT INTO studies (name, suite, tuner, tuner_seed, budget, target_metric, target_value, space_json, created_by, created_at) " +
                        "VALUES ($name, $suite, $tuner, $seed, $budget, $metric, $value, $space, $by, $at) RETURNING id";
                    insert.Parameters.AddWithValue("$name", definition.Name);
                    insert.Parameters.AddWithValue("$suite", definition.Suite);
                    insert.Parameters.AddWithValue("$tuner", definition.Tuner);
                    insert.Parameters.AddWithValue("$seed", definition.TunerSeed);
                    insert.Parameters.AddWithValue("$budget", definition.Budget.ToString());
                    insert.Parameters.AddWithValue("$metric", definition.TargetMetric);
                    insert.Parameters.AddWithValue("$value", definition.TargetValue);
                    insert.Parameters.AddWithValue("$space", definition.SpaceJson);
                    insert.Parameters.AddWithValue("$by", definition.CreatedBy);
                    insert.Parameters.AddWithValue("$at", SqliteValues.Timestamp(now));
                    id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                }

                await transaction.CommitAsync(ct);
                return new StudyInfo(id, definition, SqliteValues.ParseTimestamp(SqliteValues.Timestamp(now)));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredTrial> EnqueueTrialAsync(long studyId, TrialPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(plan.Configuration);
        ArgumentNullException.ThrowIfNull(plan.Unit);
        string configurationJson = SqliteValues.Configuration(plan.Configuration);
        string unitJson = SqliteValues.Unit(plan.Unit);
        return UseAsync(
            async ct =>
            {
                await using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                object? next;
                await using (SqliteCommand reserve = _connection.CreateCommand())
                {
                    reserve.Transaction = transaction;
                    reserve.CommandText =
                        "UPDATE studies SET next_trial_number = next_trial_number + 1 WHERE id = $study RETURNING next_trial_number - 1";
                    reserve.Parameters.AddWithValue("$study", studyId);
                    next = await reserve.ExecuteScalarAsync(ct);
                }

                if (next is null or DBNull)
                {
                    await transaction.RollbackAsync(ct);
                    throw UnknownStudy(studyId);
                }

                int number = Convert.ToInt32(next, CultureInfo.InvariantCulture);
                await using (SqliteCommand insert = _connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText =
                        "INSERT INTO trials (study_id, number, state, configuration_json, unit_json, fidelity, tag, seed, attempts, created_at) " +
                        "VALUES ($study, $number, 'waiting', $configuration, $unit, $fidelity, $tag, $seed, 0, $at)";
                    insert.Parameters.AddWithValue("$study", studyId);
                    insert.Parameters.AddWithValue("$number", number);
                    insert.Parameters.AddWithValue("$configuration", configurationJson);
                    insert.Parameters.AddWithValue("$unit", unitJson);
                    insert.Parameters.AddWithValue("$fidelity", plan.Fidelity);
                    insert.Parameters.AddWithValue("$tag", (object?)plan.Tag ?? DBNull.Value);
                    insert.Parameters.AddWithValue("$seed", plan.Seed);
                    insert.Parameters.AddWithValue("$at", SqliteValues.Timestamp(_time.GetUtcNow()));
                    await insert.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
                return new StoredTrial(studyId, number, TrialState.Waiting, plan, 0, null, null, null, null);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredTrial?> ClaimTrialAsync(long studyId, string workerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return UseAsync(
            async ct =>
            {
                await using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                StoredTrial? claimed = null;
                await using (SqliteCommand claim = _connection.CreateCommand())
                {
                    claim.Transaction = transaction;
                    claim.CommandText =
                        "UPDATE trials SET state = 'running', worker_id = $worker, attempts = attempts + 1, heartbeat_at = $now " +
                        "WHERE study_id = $study AND number = " +
                        "(SELECT number FROM trials WHERE study_id = $study AND state = 'waiting' ORDER BY number LIMIT 1) " +
                        "AND state = 'waiting' RETURNING " + TrialColumns;
                    claim.Parameters.AddWithValue("$worker", workerId);
                    claim.Parameters.AddWithValue("$now", SqliteValues.Timestamp(_time.GetUtcNow()));
                    claim.Parameters.AddWithValue("$study", studyId);
                    await using SqliteDataReader reader = await claim.ExecuteReaderAsync(ct);
                    if (await reader.ReadAsync(ct))
                    {
                        claimed = ReadTrial(reader);
                    }
                }

                await transaction.CommitAsync(ct);
                return claimed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> HeartbeatAsync(long studyId, int number, string workerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return UseAsync(
            async ct =>
            {
                await using SqliteCommand update = _connection.CreateCommand();
                update.CommandText =
                    "UPDATE trials SET heartbeat_at = $now " +
                    "WHERE study_id = $study AND number = $number AND state = 'running' AND worker_id = $worker";
                update.Parameters.AddWithValue("$now", SqliteValues.Timestamp(_time.GetUtcNow()));
                update.Parameters.AddWithValue("$study", studyId);
                update.Parameters.AddWithValue("$number", number);
                update.Parameters.AddWithValue("$worker", workerId);
                return await update.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> FinishTrialAsync(long studyId, int number, string workerId, TrialRecord record, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(record);
        string recordJson = TrialRecordJson.Serialize(record);
        string status = SqliteValues.Status(record.Status);
        return UpdateOwnTrialAsync(
            studyId,
            number,
            workerId,
            "state = 'finished', record_json = $record, status = $status, finished_at = $now",
            [("$record", recordJson), ("$status", status), ("$now", SqliteValues.Timestamp(_time.GetUtcNow()))],
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseTrialAsync(long studyId, int number, string workerId, string note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return UpdateOwnTrialAsync(
            studyId,
            number,
            workerId,
            "state = 'waiting', worker_id = NULL, heartbeat_at = NULL, attempts = MAX(attempts - 1, 0), note = $note",
            [("$note", note)],
            cancellationToken);
    }

    /// <summary>
    /// <c>UPDATE trials SET <paramref name="assignments"/></c> on one trial, only while <paramref name="workerId"/> runs
    /// it (a trial re-queued or taken over meanwhile is left alone); true when it was updated. The assignments are
    /// constant SQL from this class; every value goes in as a parameter.
    /// </summary>
    private Task<bool> UpdateOwnTrialAsync(
        long studyId, int number, string workerId, string assignments, IReadOnlyList<(string Name, object Value)> values, CancellationToken cancellationToken) =>
        UseAsync(
            async ct =>
            {
                await using SqliteCommand update = _connection.CreateCommand();
                update.CommandText = "UPDATE trials SET " + assignments +
                    " WHERE study_id = $study AND number = $number AND state = 'running' AND worker_id = $worker";
                foreach ((string name, object value) in values)
                {
                    update.Parameters.AddWithValue(name, value);
                }

                update.Parameters.AddWithValue("$study", studyId);
                update.Parameters.AddWithValue("$number", number);
                update.Parameters.AddWithValue("$worker", workerId);
                return await update.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The running trials are read first and <paramref name="isWorkerAlive"/> is asked outside any transaction; each
    /// trial is then moved only if it is still exactly as read (same worker, attempts and heartbeat), so a worker that
    /// sends a heartbeat meanwhile keeps its trial.
    /// </remarks>
    public Task<IReadOnlyList<StoredTrial>> RequeueAbandonedAsync(
        long studyId, TimeSpan staleAfter, int maxAttempts, Func<string, bool>? isWorkerAlive, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(staleAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return UseAsync<IReadOnlyList<StoredTrial>>(
            async ct =>
            {
                var running = new List<(int Number, string? Worker, int Attempts, string? Heartbeat)>();
                await using (SqliteCommand select = _connection.CreateCommand())
                {
                    select.CommandText =
                        "SELECT number, worker_id, attempts, heartbeat_at FROM trials WHERE study_id = $study AND state = 'running' ORDER BY number";
                    select.Parameters.AddWithValue("$study", studyId);
                    await using SqliteDataReader reader = await select.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        running.Add((
                            reader.GetInt32(0),
                            reader.IsDBNull(1) ? null : reader.GetString(1),
                            reader.GetInt32(2),
                            reader.IsDBNull(3) ? null : reader.GetString(3)));
                    }
                }

                DateTimeOffset now = _time.GetUtcNow();
                var moves = WorkerLiveness.Decide(
                    running.Select(t => new WorkerLiveness.Running<string>(t.Item1, t.Item2, t.Item3, t.Item4, t.Item4 is null ? null : SqliteValues.ParseTimestamp(t.Item4))),
                    now, staleAfter, maxAttempts, isWorkerAlive);
                if (moves.Count == 0)
                {
                    return Array.Empty<StoredTrial>();
                }

                string at = SqliteValues.Timestamp(now);
                var moved = new List<StoredTrial>();
                await using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                foreach (var move in moves)
                {
                    await using SqliteCommand update = _connection.CreateCommand();
                    update.Transaction = transaction;
                    update.Parameters.AddWithValue("$note", move.Note);
                    if (move.Abandon)
                    {
                        update.CommandText =
                            "UPDATE trials SET state = 'abandoned', note = $note, finished_at = $now " +
                            "WHERE study_id = $study AND number = $number AND state = 'running' AND worker_id IS $worker " +
                            "AND attempts = $attempts AND heartbeat_at IS $heartbeat RETURNING " + TrialColumns;
                    }
                    else
                    {
                        update.CommandText =
                            "UPDATE trials SET state = 'waiting', worker_id = NULL, heartbeat_at = NULL, note = $note " +
                            "WHERE study_id = $study AND number = $number AND state = 'running' AND worker_id IS $worker " +
                            "AND attempts = $attempts AND heartbeat_at IS $heartbeat RETURNING " + TrialColumns;
                    }

                    update.Parameters.AddWithValue("$now", at);
                    update.Parameters.AddWithValue("$study", studyId);
                    update.Parameters.AddWithValue("$number", move.Trial.Number);
                    update.Parameters.AddWithValue("$worker", (object?)move.Trial.Worker ?? DBNull.Value);
                    update.Parameters.AddWithValue("$attempts", move.Trial.Attempts);
                    update.Parameters.AddWithValue("$heartbeat", (object?)move.Trial.Heartbeat ?? DBNull.Value);
                    await using SqliteDataReader reader = await update.ExecuteReaderAsync(ct);
                    if (await reader.ReadAsync(ct))
                    {
                        moved.Add(ReadTrial(reader));
                    }
                }

                await transaction.CommitAsync(ct);
                return moved;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StudyInfo?> FindStudyAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return UseAsync<StudyInfo?>(
            async ct =>
            {
                await using SqliteCommand select = _connection.CreateCommand();
                select.CommandText = "SELECT " + StudyColumns + " FROM studies WHERE name = $name";
                select.Parameters.AddWithValue("$name", name);
                await using SqliteDataReader reader = await select.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct) ? ReadStudy(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(string namePrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namePrefix);
        return SelectAllAsync(
            "SELECT " + StudyColumns + " FROM studies WHERE substr(name, 1, length($value)) = $value ORDER BY id", namePrefix, ReadStudy, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTrial>> GetTrialsAsync(long studyId, CancellationToken cancellationToken) =>
        SelectAllAsync("SELECT " + TrialColumns + " FROM trials WHERE study_id = $value ORDER BY number", studyId, ReadTrial, cancellationToken);

    /// <summary>Every row of a query with one parameter <c>$value</c>, read with <paramref name="read"/>.</summary>
    private Task<IReadOnlyList<T>> SelectAllAsync<T>(string sql, object value, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        UseAsync<IReadOnlyList<T>>(
            async ct =>
            {
                var rows = new List<T>();
                await using SqliteCommand select = _connection.CreateCommand();
                select.CommandText = sql;
                select.Parameters.AddWithValue("$value", value);
                await using SqliteDataReader reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(read(reader));
                }

                return rows;
            },
            cancellationToken);

    /// <summary>Closes the connection (after the call in progress, if any); the WAL is checkpointed into the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void CreateFolder(string displayPath, string fullPath)
    {
        string? folder = System.IO.Path.GetDirectoryName(fullPath);
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TunerInputException(
                $"--storage {displayPath}: its folder cannot be created ({SqliteStoreFile.OneLine(ex.Message)}): check the path and its permissions", ex);
        }
    }

    /// <summary>Brings the schema to <see cref="SqliteSchema.CurrentVersion"/> in one transaction, re-checking inside
    /// it that the file is ours (another process may have created it since the read-only check).</summary>
    private static async Task EnsureSchemaAsync(SqliteConnection connection, string displayPath, CancellationToken cancellationToken)
    {
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        int version = await SqliteStoreFile.ReadSchemaVersionAsync(connection, transaction, displayPath, cancellationToken);
        if (version == SqliteSchema.CurrentVersion)
        {
            await transaction.RollbackAsync(cancellationToken);
            return;
        }

        if (version == 0)
        {
            await using SqliteCommand setId = connection.CreateCommand();
            setId.Transaction = transaction;
            setId.CommandText = SqliteSchema.SetApplicationIdSql;
            await setId.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (SchemaMigration migration in SqliteSchema.Migrations.Skip(version))
        {
            foreach (string statement in migration.Statements)
            {
                await using SqliteCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using SqliteCommand setVersion = connection.CreateCommand();
            setVersion.Transaction = transaction;
            setVersion.CommandText = SqliteSchema.SetSchemaVersionSql;
            setVersion.Parameters.AddWithValue("$version", migration.Version.ToString(CultureInfo.InvariantCulture));
            await setVersion.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
        }
    }

    private static string Quote(string value) => SqliteStoreFile.OneLine(value, 120);

    /// <summary>Up to 60 characters of <paramref name="text"/> around <paramref name="at"/>, on one line.</summary>
    private static string Excerpt(string text, int at)
    {
        int start = Math.Max(0, at - 20);
        int length = Math.Min(60, text.Length - start);
        string excerpt = SqliteStoreFile.OneLine(text.Substring(start, length), 60);
        return (start > 0 ? "…" : string.Empty) + excerpt + (start + length < text.Length ? "…" : string.Empty);
    }

    private static StudyInfo ReadStudy(System.Data.Common.DbDataReader reader) => StoredRows.ReadStudy(reader, (r, i) => SqliteValues.ParseTimestamp(r.GetString(i)));

    /// <summary>Reads a row selected (or returned) with <see cref="TrialColumns"/>.</summary>
    private static StoredTrial ReadTrial(System.Data.Common.DbDataReader reader) => StoredRows.ReadTrial(reader, (r, i) => SqliteValues.ParseTimestamp(r.GetString(i)));

    private ArgumentException UnknownStudy(long studyId) =>
        new(string.Create(CultureInfo.InvariantCulture, $"there is no study with id {studyId} in {_displayPath}"), nameof(studyId));

    /// <summary>Runs one call on the connection, one call at a time.</summary>
    private async Task<T> UseAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await action(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
