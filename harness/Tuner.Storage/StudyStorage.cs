using Tuner.Core.Errors;
using Tuner.Storage.Postgres;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage;

/// <summary>
/// Opens the study store that <c>--storage</c> names, so that commands need not know which kind it is: a
/// <c>postgres://</c> or <c>postgresql://</c> URL, or an Npgsql connection string with <c>Host=</c>, is a PostgreSQL
/// store (many machines); anything else is the path of a SQLite file (one machine).
/// </summary>
public static class StudyStorage
{
    /// <summary>
    /// Opens (creating when missing) the store at <paramref name="location"/>: <see cref="PostgresStudyStorage"/> for a
    /// PostgreSQL URL or connection string, otherwise <see cref="SqliteStudyStorage"/> for a file path. A location with
    /// some other URL scheme (e.g. <c>mysql://</c> or a mistyped <c>postgress://</c>) is refused with a one-line
    /// <see cref="TunerInputException"/> rather than becoming an oddly named file.
    /// </summary>
    /// <param name="location">A PostgreSQL URL or connection string, or a file path.</param>
    /// <param name="time">The clock for timestamps; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static Task<IStudyStorage> OpenAsync(string location, TimeProvider? time, CancellationToken cancellationToken) =>
        OpenAsync(location, time, existingOnly: false, cancellationToken);

    /// <summary>As <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/>, for read-only commands (report): a SQLite file that does not exist yet is an error, not a new store.</summary>
    public static Task<IStudyStorage> OpenExistingAsync(string location, TimeProvider? time, CancellationToken cancellationToken) =>
        OpenAsync(location, time, existingOnly: true, cancellationToken);

    private static async Task<IStudyStorage> OpenAsync(string location, TimeProvider? time, bool existingOnly, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (IsPostgres(location))
        {
            return existingOnly
                ? await PostgresStudyStorage.OpenExistingAsync(location, time, cancellationToken)
                : await PostgresStudyStorage.OpenAsync(location, time, cancellationToken);
        }

        if (PostgresLocation.SchemeOf(location) is { } scheme)
        {
            throw new TunerInputException(
                $"--storage {PostgresLocation.MaskUrl(location)} has the unknown scheme '{scheme}': " +
                "pass a SQLite file path (e.g. results/studies.db) or a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL");
        }

        return existingOnly
            ? await SqliteStudyStorage.OpenExistingAsync(location, time, cancellationToken)
            : await SqliteStudyStorage.OpenAsync(location, time, cancellationToken);
    }

    /// <summary>True when <paramref name="location"/> names a PostgreSQL store (a <c>postgres://</c> or
    /// <c>postgresql://</c> URL, or a connection string with <c>Host=</c>) rather than a file.</summary>
    public static bool IsPostgres(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return PostgresLocation.IsPostgres(location);
    }
}
