using System.Globalization;
using Npgsql;
using Tuner.Core.Errors;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage.Postgres;

/// <summary>
/// The schema of the PostgreSQL study store and how it is set up and upgraded. Everything lives in its own PostgreSQL
/// schema, <c>tuner</c> (so a shared database's other tables are never touched and never in the way), with the same
/// tables as the SQLite store: <c>tuner.tuner_meta</c> (key/value: <c>application</c>, <c>schema_version</c>),
/// <c>tuner.studies</c> and <c>tuner.trials</c>. Opening a database brings it to <see cref="CurrentVersion"/> in one
/// transaction under <c>pg_advisory_xact_lock</c>, so many workers starting at once create it exactly once. To change
/// the schema, append a <see cref="PostgresMigration"/> to <see cref="Migrations"/> (never edit a shipped one).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The PostgreSQL schema that holds the store's tables.</summary>
    public const string SchemaName = "tuner";

    /// <summary>The value of <c>tuner_meta.application</c>.</summary>
    public const string Application = "tuner-study-store";

    /// <summary>The advisory lock key that serialises schema set-up and migrations: "TUNR" in ASCII.</summary>
    public const long MigrationLockKey = 0x54554E52;

    private const string CreateSchemaSql = "CREATE SCHEMA IF NOT EXISTS tuner";

    /// <summary>Whether schema <c>tuner</c> exists, read from the catalog with the statement's snapshot (see <see cref="ProbeSql"/>).</summary>
    private const string SchemaExistsSql = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'tuner')";

    private const string LockSql = "SELECT pg_advisory_xact_lock(@key)";

    /// <summary>
    /// Whether schema <c>tuner</c> and table <c>tuner.tuner_meta</c> exist. A plain query on the catalog tables, not
    /// <c>to_regclass</c>: it reads with the statement's snapshot, and locking <c>pg_class</c> makes the backend process
    /// pending cache invalidations. After waiting on the advisory lock for another process's migration, the syscache
    /// may still hold "tuner_meta does not exist" (an advisory lock processes no invalidations), and the store would be
    /// created twice.
    /// </summary>
    private const string ProbeSql =
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'tuner'), " +
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname = 'tuner' AND c.relname = 'tuner_meta' AND c.relkind IN ('r', 'p'))";

    private const string ReadMetaSql =
        "SELECT key, value FROM tuner.tuner_meta WHERE key IN ('application', 'schema_version')";

    private const string ListRelationsSql =
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname = 'tuner' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') ORDER BY c.relname";

    private const string SetSchemaVersionSql =
        "INSERT INTO tuner.tuner_meta (key, value) VALUES ('schema_version', @version) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    private const string OtherDatabaseAdvice = "pass another database, or drop that schema if nothing else uses it";

    /// <summary>The migrations in order: <c>Migrations[i]</c> takes a store from version i to version i + 1.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new PostgresMigration(
            1,
            "tuner_meta, studies and trials",
            [
                """
                CREATE TABLE tuner.tuner_meta (
                    key   text PRIMARY KEY,
                    value text NOT NULL
                )
                """,
                "INSERT INTO tuner.tuner_meta (key, value) VALUES ('application', 'tuner-study-store')",
                """
                CREATE TABLE tuner.studies (
                    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    name              text NOT NULL UNIQUE,
                    suite             text NOT NULL,
                    tuner             text NOT NULL,
                    tuner_seed        bigint NOT NULL,
                    budget            text NOT NULL,
                    target_metric     text NOT NULL,
                    target_value      double precision NOT NULL,
                    space_json        text NOT NULL,
                    created_by        text NOT NULL,
                    created_at        timestamptz NOT NULL,
                    next_trial_number integer NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE tuner.trials (
                    study_id           bigint NOT NULL REFERENCES tuner.studies (id),
                    number             integer NOT NULL CHECK (number >= 0),
                    state              text NOT NULL CHECK (state IN ('waiting', 'running', 'finished', 'abandoned')),
                    configuration_json json NOT NULL,
                    unit_json          json NOT NULL,
                    fidelity           double precision NOT NULL,
                    tag                text,
                    seed               bigint NOT NULL,
                    attempts           integer NOT NULL DEFAULT 0,
                    worker_id          text,
                    heartbeat_at       timestamptz,
                    record_json        json,
                    status             text,
                    note               text,
                    created_at         timestamptz NOT NULL,
                    finished_at        timestamptz,
                    PRIMARY KEY (study_id, number)
                )
                """,
                "CREATE INDEX trials_by_state ON tuner.trials (study_id, state, number)",
                "CREATE INDEX trials_waiting ON tuner.trials (study_id, number) WHERE state = 'waiting'",
            ]),
    ];

    /// <summary>The schema version this build writes and the newest it reads.</summary>
    public static int CurrentVersion => Migrations.Count;

    /// <summary>
    /// Makes sure the database holds a study store this build can use: creates the schema when missing, applies the
    /// migrations an older store lacks, and refuses (one-line <see cref="TunerInputException"/>, nothing written) a
    /// store from a newer tuner or a <c>tuner</c> schema that tuner did not make.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, PostgresLocation location, CancellationToken cancellationToken)
    {
        // Fast path: an up-to-date store needs no lock.
        if (await ReadVersionAsync(connection, null, location, cancellationToken) == CurrentVersion)
        {
            return;
        }

        try
        {
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand(LockSql, connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            // Read again under the lock: another process may have set the store up meanwhile.
            int version = await ReadVersionAsync(connection, transaction, location, cancellationToken);
            if (version == CurrentVersion)
            {
                await transaction.CommitAsync(cancellationToken);
                return;
            }

            if (version == 0 && !await SchemaExistsAsync(connection, transaction, cancellationToken))
            {
                // Only when missing: CREATE SCHEMA checks the CREATE privilege even with IF NOT EXISTS, and a user
                // given a schema by the database owner may lack it.
                await ExecuteAsync(connection, transaction, CreateSchemaSql, cancellationToken);
            }

            foreach (PostgresMigration migration in Migrations.Skip(version))
            {
                foreach (string statement in migration.Statements)
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken);
                }

                await using var setVersion = new NpgsqlCommand(SetSchemaVersionSql, connection, transaction);
                setVersion.Parameters.AddWithValue("version", migration.Version.ToString(CultureInfo.InvariantCulture));
                await setVersion.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new TunerInputException(
                $"--storage {location.DisplayName}: the study store cannot be set up in schema '{SchemaName}' " +
                $"({location.Redact(PostgresErrors.Reason(ex))}): grant the user CREATE on the database, or create schema {SchemaName} owned by the user",
                ex);
        }
    }

    /// <summary>
    /// The store's schema version: 0 when the database has no <c>tuner</c> schema or an empty one (a new store), the
    /// version when it holds a store this build can read. Throws for a foreign <c>tuner</c> schema, a damaged
    /// <c>tuner_meta</c>, and a newer schema.
    /// </summary>
    public static async Task<int> ReadVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgresLocation location, CancellationToken cancellationToken)
    {
        bool hasSchema;
        bool hasMeta;
        await using (var probe = new NpgsqlCommand(ProbeSql, connection, transaction))
        await using (NpgsqlDataReader reader = await probe.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            hasSchema = reader.GetBoolean(0);
            hasMeta = reader.GetBoolean(1);
        }

        if (!hasMeta)
        {
            if (!hasSchema)
            {
                return 0;
            }

            List<string> relations = await ListRelationsAsync(connection, transaction, cancellationToken);
            return relations.Count == 0
                ? 0
                : throw new TunerInputException(
                    $"--storage {location.DisplayName} has a schema '{SchemaName}' that is not a Tuner study store " +
                    $"(it has {Describe(relations)} but no tuner_meta): {OtherDatabaseAdvice}");
        }

        string? application = null;
        string? versionText = null;
        await using (var meta = new NpgsqlCommand(ReadMetaSql, connection, transaction))
        await using (NpgsqlDataReader reader = await meta.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetString(0) == "application")
                {
                    application = reader.GetString(1);
                }
                else
                {
                    versionText = reader.GetString(1);
                }
            }
        }

        if (!string.Equals(application, Application, StringComparison.Ordinal))
        {
            throw new TunerInputException(
                $"--storage {location.DisplayName} has a schema '{SchemaName}' that is not a Tuner study store " +
                $"(its tuner_meta says application '{SqliteStoreFile.OneLine(application ?? "(none)", 80)}'): {OtherDatabaseAdvice}");
        }

        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw new TunerInputException(
                $"--storage {location.DisplayName} holds a damaged study store (its tuner_meta has no valid schema_version " +
                $"'{SqliteStoreFile.OneLine(versionText ?? "(none)", 80)}'): restore it from a backup or pass another database");
        }

        if (version > CurrentVersion)
        {
            throw new TunerInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"--storage {location.DisplayName} was written by a newer tuner (study store schema version {version}; " +
                $"this build reads up to {CurrentVersion}): upgrade tuner, or pass another database"));
        }

        return version;
    }

    private static async Task<bool> SchemaExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SchemaExistsSql, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task<List<string>> ListRelationsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using var command = new NpgsqlCommand(ListRelationsSql, connection, transaction);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static string Describe(List<string> relations) => relations.Count switch
    {
        1 => "table " + SqliteStoreFile.OneLine(relations[0], 80),
        <= 5 => "tables " + SqliteStoreFile.OneLine(string.Join(", ", relations), 120),
        _ => string.Create(CultureInfo.InvariantCulture, $"{relations.Count} tables: {SqliteStoreFile.OneLine(string.Join(", ", relations.Take(5)), 120)}, …"),
    };

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>One step of the schema: the statements that take a store from <see cref="Version"/> - 1 to
/// <see cref="Version"/>; <c>tuner_meta.schema_version</c> is set after them, in the same transaction.</summary>
/// <param name="Version">The version after this step.</param>
/// <param name="Description">What it adds, for humans.</param>
/// <param name="Statements">Constant SQL, run in order inside the upgrade transaction.</param>
internal sealed record PostgresMigration(int Version, string Description, IReadOnlyList<string> Statements);
