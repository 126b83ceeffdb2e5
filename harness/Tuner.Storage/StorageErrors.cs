using Microsoft.Data.Sqlite;

namespace Tuner.Storage;

/// <summary>Classifies storage failures for the retry layer.</summary>
public static class StorageErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// True for failures that a later attempt can get past: SQLITE_BUSY / SQLITE_LOCKED beyond the busy timeout, and
    /// the PostgreSQL errors of a restart or a concurrency conflict (see <c>Postgres.PostgresErrors.IsTransient</c>).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return true;
            }

            if (Postgres.PostgresErrors.IsTransient(e))
            {
                return true; // a server restarting, a dropped connection, a serialization failure; not a wrong host or password
            }
        }

        return false;
    }

    /// <summary>A one-line description without secrets (exception type and first line of its message).</summary>
    public static string Describe(Exception? exception)
    {
        if (exception is null)
        {
            return "unknown";
        }

        string message = exception.Message;
        int newline = message.IndexOfAny(['\r', '\n']);
        return $"{exception.GetType().Name}: {(newline >= 0 ? message[..newline] : message)}";
    }
}
