namespace Tuner.Storage.Sqlite;

/// <summary>
/// The schema of the SQLite study store and how it is upgraded. A store records its version twice: in
/// <c>tuner_meta.schema_version</c> (what tuner reads) and in <c>PRAGMA user_version</c> (what the sqlite3 shell shows);
/// the file header also carries <see cref="ApplicationId"/> so that tuner recognises its own files and leaves others alone.
/// To change the schema, append a <see cref="SchemaMigration"/> to <see cref="Migrations"/> (never edit a shipped one):
/// opening an older store applies the missing migrations in one transaction.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The <c>PRAGMA application_id</c> of a study store: "TUNR" in ASCII (0x54554E52).</summary>
    public const int ApplicationId = 0x54554E52;

    /// <summary>The value of <c>tuner_meta.application</c>.</summary>
    public const string Application = "tuner-study-store";

    /// <summary>Sets the application id; a constant, because pragmas take no parameters.</summary>
    public const string SetApplicationIdSql = "PRAGMA application_id = 1414876754";

    /// <summary>Writes <c>tuner_meta.schema_version</c> (parameter <c>$version</c>).</summary>
    public const string SetSchemaVersionSql =
        "INSERT INTO tuner_meta (key, value) VALUES ('schema_version', $version) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    /// <summary>The migrations in order: <c>Migrations[i]</c> takes a store from version i to version i + 1.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new SchemaMigration(
            1,
            "tuner_meta, studies and trials",
            [
                """
                CREATE TABLE tuner_meta (
                    key   TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID
                """,
                "INSERT INTO tuner_meta (key, value) VALUES ('application', 'tuner-study-store')",
                """
                CREATE TABLE studies (
                    id                INTEGER PRIMARY KEY AUTOINCREMENT,
                    name              TEXT NOT NULL UNIQUE,
                    suite             TEXT NOT NULL,
                    tuner             TEXT NOT NULL,
                    tuner_seed        INTEGER NOT NULL,
                    budget            TEXT NOT NULL,
                    target_metric     TEXT NOT NULL,
                    target_value      REAL NOT NULL,
                    space_json        TEXT NOT NULL,
                    created_by        TEXT NOT NULL,
                    created_at        TEXT NOT NULL,
                    next_trial_number INTEGER NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE trials (
                    study_id           INTEGER NOT NULL REFERENCES studies (id),
                    number             INTEGER NOT NULL CHECK (number >= 0),
                    state              TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'finished', 'abandoned')),
                    configuration_json TEXT NOT NULL,
                    unit_json          TEXT NOT NULL,
                    fidelity           REAL NOT NULL,
                    tag                TEXT,
                    seed               INTEGER NOT NULL,
                    attempts           INTEGER NOT NULL DEFAULT 0,
                    worker_id          TEXT,
                    heartbeat_at       TEXT,
                    record_json        TEXT,
                    status             TEXT,
                    note               TEXT,
                    created_at         TEXT NOT NULL,
                    finished_at        TEXT,
                    PRIMARY KEY (study_id, number)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX trials_by_state ON trials (study_id, state, number)",
                "PRAGMA user_version = 1",
            ]),
    ];

    /// <summary>The schema version this build writes and the newest it reads.</summary>
    public static int CurrentVersion => Migrations.Count;
}

/// <summary>One step of the schema: the statements that take a store from <see cref="Version"/> - 1 to
/// <see cref="Version"/>. The last statement sets <c>PRAGMA user_version</c> to <see cref="Version"/>.</summary>
/// <param name="Version">The version after this step.</param>
/// <param name="Description">What it adds, for humans.</param>
/// <param name="Statements">Constant SQL, run in order inside the upgrade transaction.</param>
internal sealed record SchemaMigration(int Version, string Description, IReadOnlyList<string> Statements);
