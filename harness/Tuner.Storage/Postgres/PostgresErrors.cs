using System.Net.Sockets;
using Npgsql;
using Tuner.Core.Errors;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage.Postgres;

/// <summary>
/// How failures of the PostgreSQL store are told apart. A failure to connect reaches the user as a one-line
/// <see cref="TunerInputException"/> naming the server without its password, with the driver's exception inside;
/// <see cref="IsTransient"/> looks through that wrapper, so a retry layer can still retry what may pass on its own (the
/// server restarting, a dropped connection, a serialization failure or deadlock) and give up at once on what will not
/// (a wrong password, a missing database, a typo in the host name).
/// </summary>
public static class PostgresErrors
{
    /// <summary>
    /// The SQLSTATEs worth retrying: serialization_failure, deadlock_detected, admin_shutdown, crash_shutdown,
    /// cannot_connect_now (starting up or shutting down), too_many_connections, lock_not_available and the
    /// connection_exception class (connection lost or not established).
    /// </summary>
    private static readonly HashSet<string> TransientStates = new(StringComparer.Ordinal)
    {
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.AdminShutdown,
        PostgresErrorCodes.CrashShutdown,
        PostgresErrorCodes.CannotConnectNow,
        PostgresErrorCodes.TooManyConnections,
        PostgresErrorCodes.LockNotAvailable,
        PostgresErrorCodes.ConnectionException,
        PostgresErrorCodes.ConnectionDoesNotExist,
        PostgresErrorCodes.ConnectionFailure,
        PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection,
    };

    /// <summary>Socket errors of a server that is away for a moment (restarting, network blip), not of a wrong address.</summary>
    private static readonly HashSet<SocketError> TransientSocketErrors =
    [
        SocketError.ConnectionRefused,
        SocketError.ConnectionReset,
        SocketError.ConnectionAborted,
        SocketError.TimedOut,
        SocketError.NetworkDown,
        SocketError.NetworkReset,
        SocketError.NetworkUnreachable,
        SocketError.HostDown,
        SocketError.HostUnreachable,
        SocketError.TryAgain,
        SocketError.Shutdown,
        SocketError.NotConnected,
    ];

    /// <summary>
    /// True when retrying the call that threw <paramref name="exception"/> may succeed: the server refused or dropped
    /// the connection (e.g. during a restart), timed out, is starting up or shutting down (57P03, 57P01), has too many
    /// connections, or aborted the transaction for a serialization failure (40001) or deadlock (40P01). Looks through
    /// wrappers (<see cref="TunerInputException"/>, <see cref="NpgsqlException"/>, <see cref="IOException"/>,
    /// <see cref="AggregateException"/>). False for cancellation, authentication failures, a missing database, an
    /// unknown host name, and everything else.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OperationCanceledException:
                    return false;
                case PostgresException postgres:
                    return TransientStates.Contains(postgres.SqlState);
                case SocketException socket:
                    return TransientSocketErrors.Contains(socket.SocketErrorCode);
                case TimeoutException:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsTransient);
                case IOException when current.InnerException is null:
                    // The server closed the connection (end of stream) or the pipe broke.
                    return true;
                case NpgsqlException npgsql when npgsql.InnerException is null:
                    return npgsql.IsTransient;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>True for an exception from opening a connection that means the server could not be reached or refused us.</summary>
    internal static bool IsConnectionFailure(Exception exception) =>
        exception is NpgsqlException or SocketException or IOException or TimeoutException;

    /// <summary>
    /// The one-line error for a failed connection: "cannot connect to postgres://user@host:5432/db: REASON; check that
    /// the server runs and the URL is right", with the driver's exception inside for <see cref="IsTransient"/>.
    /// </summary>
    internal static TunerInputException CannotConnect(PostgresLocation location, Exception exception) =>
        new($"cannot connect to {location.DisplayName}: {location.Redact(Reason(exception))}; check that the server runs and the URL is right", exception);

    /// <summary>
    /// What went wrong, on one line: the server's message and SQLSTATE, or the messages along the chain of inner
    /// exceptions (e.g. "Failed to connect to 127.0.0.1:1: Connection refused"), without a trailing period.
    /// </summary>
    internal static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var parts = new List<string>();
        for (Exception? current = exception; current is not null && parts.Count < 3; current = current.InnerException)
        {
            string part = current is PostgresException postgres
                ? $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})"
                : current.Message;
            part = SqliteStoreFile.OneLine(part, 240).TrimEnd('.', ' ');
            if (part.Length > 0 && !parts.Any(p => p.Contains(part, StringComparison.Ordinal)))
            {
                parts.Add(part);
            }

            if (current is PostgresException)
            {
                break;
            }
        }

        return parts.Count == 0 ? exception.GetType().Name : string.Join(": ", parts);
    }
}
