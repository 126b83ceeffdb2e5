using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tuner.Core.Errors;

namespace Tuner.Storage.Sqlite;

/// <summary>
/// Decides whether a path may be used as a study store before anything is written to it: a missing or empty file
/// becomes a new store; an existing file must be a sound SQLite database that tuner made, with a schema this build
/// knows. Every refusal is a one-line <see cref="TunerInputException"/> naming the file and what to do, so a typo in
/// <c>--storage</c> can never damage someone else's file and a damaged store is reported, not half-used.
/// </summary>
internal static class SqliteStoreFile
{
    private const int ApplicationIdOffset = 68;
    private const int UserVersionOffset = 60;
    private const int WriteVersionOffset = 18;

    /// <summary>The 100-byte file header plus the 8-byte b-tree header of page 1 (the schema table's root).</summary>
    private const int FirstPageHeaderEnd = 108;
    private const string NotOursAdvice = "pass a new path or a study store made by tuner";
    private const string DamagedAdvice = "restore it from a backup or pass a new path (tuner does not repair stores)";

    /// <summary>The 16 bytes every SQLite 3 database file starts with.</summary>
    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>
    /// Looks at the file's first bytes without SQLite: <see cref="StoreFileKind.New"/> when it is missing, empty, or
    /// an empty SQLite database; <see cref="StoreFileKind.Tuner"/> when its header carries tuner's application id
    /// (check it further with <see cref="VerifyExistingAsync"/>). Throws when the path is a folder, cannot be read, is
    /// not a SQLite database, or is someone else's SQLite database; those files are only ever read, and other
    /// applications' databases are read in SQLite's immutable mode, which creates no -wal or -shm files beside them.
    /// </summary>
    public static async Task<StoreFileKind> InspectAsync(string displayPath, string fullPath, CancellationToken cancellationToken)
    {
        if (Directory.Exists(fullPath))
        {
            throw new TunerInputException(
                $"--storage {displayPath} is a folder: pass a file path for the study store, e.g. {Path.Combine(displayPath, "studies.db")}");
        }

        if (!File.Exists(fullPath))
        {
            return StoreFileKind.New;
        }

        byte[] header = new byte[FirstPageHeaderEnd];
        int read;
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TunerInputException($"--storage {displayPath} cannot be read ({OneLine(ex.Message)}): check the path and its permissions", ex);
        }

        if (read == 0)
        {
            return HasPendingLog(fullPath)
                ? throw new TunerInputException(
                    $"--storage {displayPath} is empty but has a SQLite write-ahead log beside it ({Path.GetFileName(fullPath)}-wal) with changes not yet written to it: {NotOursAdvice}")
                : StoreFileKind.New;
        }

        int compared = Math.Min(read, Magic.Length);
        if (!header.AsSpan(0, compared).SequenceEqual(Magic[..compared]))
        {
            throw NotSqlite(displayPath, "it does not start with the SQLite header", null);
        }

        if (read < FirstPageHeaderEnd)
        {
            throw Damaged(displayPath, string.Create(CultureInfo.InvariantCulture, $"it ends inside the SQLite header, after {read} bytes"), null);
        }

        int applicationId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(ApplicationIdOffset, 4));
        if (applicationId == SqliteSchema.ApplicationId)
        {
            return StoreFileKind.Tuner;
        }

        if (applicationId == 0 && IsEmptyDatabase(header, fullPath))
        {
            return StoreFileKind.New;
        }

        string tables = await DescribeForeignAsync(displayPath, fullPath, cancellationToken);
        throw new TunerInputException(string.Create(
            CultureInfo.InvariantCulture,
            $"--storage {displayPath} is a SQLite database but not a Tuner study store ({tables}, application id {applicationId}): {NotOursAdvice}"));
    }

    /// <summary>
    /// Opens an existing file read-only and checks that it is a sound tuner study store this build can read. Returns
    /// its schema version (0 for an empty SQLite database, which becomes a new store).
    /// </summary>
    public static async Task<int> VerifyExistingAsync(string displayPath, string fullPath, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = SqliteStudyStorage.BusyTimeoutSeconds,
        };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        int version = await ReadSchemaVersionAsync(connection, null, displayPath, cancellationToken);
        if (version > 0)
        {
            await using SqliteCommand check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check";
            object? result = await check.ExecuteScalarAsync(cancellationToken);
            string verdict = Convert.ToString(result, CultureInfo.InvariantCulture) ?? string.Empty;
            if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
            {
                throw Damaged(displayPath, "integrity check: " + OneLine(verdict), null);
            }
        }

        return version;
    }

    /// <summary>
    /// Reads who made the database and its schema version: 0 when it has no tables at all (a new store), the version
    /// when it is a tuner store this build can read. Throws for a foreign database and for a newer schema.
    /// </summary>
    public static async Task<int> ReadSchemaVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, string displayPath, CancellationToken cancellationToken)
    {
        long applicationId = await ScalarInt64Async(connection, transaction, "PRAGMA application_id", cancellationToken);
        long userVersion = await ScalarInt64Async(connection, transaction, "PRAGMA user_version", cancellationToken);
        long objects = await ScalarInt64Async(connection, transaction, "SELECT count(*) FROM sqlite_schema", cancellationToken);
        if (objects == 0 && applicationId == 0 && userVersion == 0)
        {
            return 0;
        }

        bool hasMeta = await ScalarInt64Async(
            connection, transaction, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'tuner_meta'", cancellationToken) == 1;
        if (applicationId != SqliteSchema.ApplicationId || !hasMeta)
        {
            string tables = await DescribeTablesAsync(connection, transaction, cancellationToken);
            throw new TunerInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"--storage {displayPath} is a SQLite database but not a Tuner study store ({tables}, application id {applicationId}): {NotOursAdvice}"));
        }

        string? application = null;
        string? versionText = null;
        await using (SqliteCommand meta = connection.CreateCommand())
        {
            meta.Transaction = transaction;
            meta.CommandText = "SELECT key, value FROM tuner_meta WHERE key IN ('application', 'schema_version')";
            await using SqliteDataReader reader = await meta.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                string value = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
                if (reader.GetString(0) == "application")
                {
                    application = value;
                }
                else
                {
                    versionText = value;
                }
            }
        }

        if (!string.Equals(application, SqliteSchema.Application, StringComparison.Ordinal))
        {
            throw new TunerInputException(
                $"--storage {displayPath} is a SQLite database but not a Tuner study store (its tuner_meta says application '{OneLine(application ?? "(none)")}'): {NotOursAdvice}");
        }

        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw Damaged(displayPath, $"its tuner_meta has no valid schema_version ('{OneLine(versionText ?? "(none)")}')", null);
        }

        if (version > SqliteSchema.CurrentVersion)
        {
            throw new TunerInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"--storage {displayPath} was written by a newer tuner (study store schema version {version}; this build reads up to {SqliteSchema.CurrentVersion}): upgrade tuner, or pass a new path"));
        }

        return version;
    }

    /// <summary>The user-facing error for a SQLite failure while opening a store, or null when it is not about the file (e.g. busy).</summary>
    public static TunerInputException? Translate(SqliteException exception, string displayPath) => (exception.SqliteErrorCode & 0xFF) switch
    {
        SqliteCodes.NotADatabase => NotSqlite(displayPath, Describe(exception), exception),
        SqliteCodes.Corrupt => Damaged(displayPath, Describe(exception), exception),
        SqliteCodes.CannotOpen or SqliteCodes.Permission or SqliteCodes.Auth => new TunerInputException(
            $"--storage {displayPath} cannot be opened ({Describe(exception)}): check the path and its permissions", exception),
        SqliteCodes.ReadOnly => new TunerInputException(
            $"--storage {displayPath} is read-only ({Describe(exception)}): the study store must be writable; pass a writable path", exception),
        SqliteCodes.IoError or SqliteCodes.Full => new TunerInputException(
            $"--storage {displayPath} could not be read or written ({Describe(exception)}): check the disk and the path", exception),
        _ => null,
    };

    /// <summary>A message made safe for one line, cut to a readable length.</summary>
    public static string OneLine(string text, int maxLength = 200)
    {
        string line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= maxLength ? line : string.Concat(line.AsSpan(0, maxLength), "…");
    }

    private static TunerInputException NotSqlite(string displayPath, string why, Exception? inner) =>
        Error($"--storage {displayPath} is not a SQLite database ({why}): {NotOursAdvice}", inner);

    private static TunerInputException Damaged(string displayPath, string why, Exception? inner) =>
        Error($"--storage {displayPath} is a damaged study store ({why}): {DamagedAdvice}", inner);

    private static TunerInputException Error(string message, Exception? inner) =>
        inner is null ? new TunerInputException(message) : new TunerInputException(message, inner);

    /// <summary>
    /// True for a SQLite database with nothing in it: no user version, an empty schema table on page 1, and no
    /// write-ahead log waiting to be applied (which could hold tables the file itself does not show yet).
    /// </summary>
    private static bool IsEmptyDatabase(byte[] header, string fullPath)
    {
        const byte LeafTablePage = 0x0D;
        bool noUserVersion = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(UserVersionOffset, 4)) == 0;
        bool emptySchema = header[100] == LeafTablePage && BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(103, 2)) == 0;
        bool walMode = header[WriteVersionOffset] == 2;
        return noUserVersion && emptySchema && !(walMode && HasPendingLog(fullPath));
    }

    /// <summary>True when a non-empty <c>-wal</c> file lies beside the database: changes another connection has not checkpointed yet.</summary>
    private static bool HasPendingLog(string fullPath)
    {
        var wal = new FileInfo(fullPath + "-wal");
        return wal.Exists && wal.Length > 0;
    }

    /// <summary>
    /// Lists a foreign database's tables for the refusal message, opening it read-only and immutable so that SQLite
    /// neither locks it nor creates files beside it. A file SQLite cannot read as a database is refused as such.
    /// </summary>
    private static async Task<string> DescribeForeignAsync(string displayPath, string fullPath, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = ImmutableUri(fullPath),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        try
        {
            await using var connection = new SqliteConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            string tables = await DescribeTablesAsync(connection, null, cancellationToken);
            return HasPendingLog(fullPath) ? tables + " in the file, more may be in its write-ahead log" : tables;
        }
        catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) == SqliteCodes.NotADatabase)
        {
            throw NotSqlite(displayPath, Describe(ex), ex);
        }
        catch (SqliteException ex)
        {
            return "its tables cannot be listed: " + Describe(ex);
        }
    }

    /// <summary>A SQLite URI for <paramref name="fullPath"/> with <c>immutable=1</c> (%, ? and # escaped).</summary>
    private static string ImmutableUri(string fullPath)
    {
        string path = fullPath.Replace('\\', '/');
        var uri = new StringBuilder("file:", path.Length + 20);
        if (!path.StartsWith('/'))
        {
            uri.Append('/');
        }

        foreach (char c in path)
        {
            _ = c switch
            {
                '%' => uri.Append("%25"),
                '?' => uri.Append("%3f"),
                '#' => uri.Append("%23"),
                _ => uri.Append(c),
            };
        }

        return uri.Append("?immutable=1").ToString();
    }

    private static string Describe(SqliteException exception) => OneLine(exception.Message).TrimEnd('.');

    private static async Task<long> ScalarInt64Async(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> DescribeTablesAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names.Count switch
        {
            0 => "it has no tables",
            <= 5 => "it has tables " + OneLine(string.Join(", ", names), 120),
            _ => string.Create(CultureInfo.InvariantCulture, $"it has {names.Count} tables: {OneLine(string.Join(", ", names.Take(5)), 120)}, …"),
        };
    }

    /// <summary>The SQLite primary result codes the store translates.</summary>
    private static class SqliteCodes
    {
        public const int Permission = 3;
        public const int ReadOnly = 8;
        public const int IoError = 10;
        public const int Corrupt = 11;
        public const int Full = 13;
        public const int CannotOpen = 14;
        public const int Auth = 23;
        public const int NotADatabase = 26;
    }
}

/// <summary>What <see cref="SqliteStoreFile.InspectAsync"/> found at a store path.</summary>
internal enum StoreFileKind
{
    /// <summary>Nothing yet (missing, zero bytes, or an empty SQLite database): a new store is created.</summary>
    New,

    /// <summary>A SQLite database with tuner's application id: verified, then opened.</summary>
    Tuner,
}
