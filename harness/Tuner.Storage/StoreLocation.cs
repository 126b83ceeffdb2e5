using System.Text.RegularExpressions;
using Tuner.Core.Errors;
using Tuner.Storage.Postgres;

namespace Tuner.Storage;

/// <summary>
/// The one rule for a <c>--storage</c> value, applied before anything is opened or printed: a PostgreSQL URL
/// (<c>postgres://</c>, <c>postgresql://</c>) or connection string (<c>Host=...</c>), kept as given; a SQLite file as
/// <c>sqlite:PATH</c>, <c>file:PATH</c> or a plain path, made absolute. Anything else is a one-line input error with any
/// password masked: another scheme (<c>mysql://</c>, <c>redis://</c>, a misspelt <c>postgress://</c>), a PostgreSQL URL
/// missing a slash (<c>postgres:/user:pw@host</c>), a path that looks like a URL with credentials (<c>user:pw@host</c>),
/// an empty value. So a password can never become a file name on disk or a path in the output.
/// </summary>
public static partial class StoreLocation
{
    private const string Advice = "give a SQLite file path (e.g. results/studies.db) or postgres://USER:PASSWORD@HOST:PORT/DATABASE";

    /// <summary>The location to open: a PostgreSQL URL or connection string as given, or an absolute SQLite path.</summary>
    /// <param name="storage">The value of <c>--storage</c>; null for the default.</param>
    /// <param name="baseDirectory">What relative paths and the default are relative to.</param>
    /// <param name="option">The option's name in messages.</param>
    public static string Resolve(string? storage, string baseDirectory, string option = "--storage")
    {
        if (storage is null)
        {
            return Path.Combine(baseDirectory, "results", "studies.db");
        }

        string text = storage.Trim();
        if (text.Length == 0)
        {
            throw new TunerInputException($"{option} is empty: {Advice}, or leave it out for results/studies.db");
        }

        if (PostgresLocation.IsPostgres(text))
        {
            return text;
        }

        Match scheme = SchemePrefix().Match(text);
        if (scheme.Success)
        {
            string name = scheme.Groups[1].Value.ToLowerInvariant();
            string rest = text[scheme.Length..];
            if (name is "sqlite" or "file")
            {
                string path = rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : rest;
                return Plain(path, storage, baseDirectory, option);
            }

            if (name is "postgres" or "postgresql")
            {
                throw new TunerInputException($"{option} {Masked(text)} is not a PostgreSQL URL: write {name}://USER:PASSWORD@HOST:PORT/DATABASE (two slashes)");
            }

            throw new TunerInputException($"{option} {Masked(text)} has the unknown scheme '{name}': {Advice}");
        }

        return Plain(text, storage, baseDirectory, option);
    }

    /// <summary>
    /// How workers started elsewhere (a Slurm job array) reach the PostgreSQL store at <paramref name="location"/>: the
    /// location without its password, for their command line, and the password for their environment
    /// (<c>PGPASSWORD</c>), so it never appears in an argument list, a job script or <c>scontrol show job</c>. The
    /// password is the location's own or this process's <c>PGPASSWORD</c>; with neither (a <c>~/.pgpass</c> or
    /// <c>PGPASSFILE</c>, read by the driver) nothing travels. A SQLite file, or an SSL key password (which has no
    /// environment variable), is a one-line input error.
    /// </summary>
    public static WorkerStore ForWorkers(string location, string purpose)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!PostgresLocation.IsPostgres(location))
        {
            throw new TunerInputException($"{purpose} needs a PostgreSQL store that every node reaches (--storage postgres://USER@HOST:PORT/DATABASE): a SQLite file is not safe on the network file systems cluster nodes share");
        }

        PostgresLocation parsed = PostgresLocation.Parse(location);
        if (parsed.HasSslPassword)
        {
            throw new TunerInputException($"{purpose}: the store's sslpassword cannot reach the workers without appearing in their command line: use an unencrypted client key (readable by you only) or a ~/.pgpass file");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parsed.Password is string password)
        {
            environment[PostgresLocation.PasswordVariable] = password;
        }

        return new WorkerStore(parsed.WithoutPassword(), parsed.DisplayName, environment, parsed.Redact);
    }

    /// <summary><paramref name="text"/> on one line with every <c>user:password@</c> and <c>password=</c> value replaced by <c>***</c>.</summary>
    public static string Masked(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Sqlite.SqliteStoreFile.OneLine(Secrets.Mask(text.Trim()), 300);
    }

    private static string Plain(string path, string given, string baseDirectory, string option)
    {
        if (path.Length == 0)
        {
            throw new TunerInputException($"{option} {Masked(given)} names no file: {Advice}");
        }

        if (Secrets.HasCredentials(path))
        {
            throw new TunerInputException($"{option} {Masked(given)} looks like a URL with a password, not a file path: {Advice}");
        }

        return Path.GetFullPath(path, baseDirectory);
    }

    /// <summary>A scheme of at least two characters followed by a colon (a single letter would be a drive).</summary>
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]+):", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePrefix();
}

/// <summary>A store as workers on other nodes get it (see <see cref="StoreLocation.ForWorkers"/>).</summary>
/// <param name="Location">The location without a password: safe for command lines and job scripts.</param>
/// <param name="DisplayName">How messages name the store.</param>
/// <param name="Environment">Variables the workers need in their environment (the password); empty when none.</param>
/// <param name="Redact">Masks the password in any text (e.g. a scheduler's error message).</param>
public sealed record WorkerStore(string Location, string DisplayName, IReadOnlyDictionary<string, string> Environment, Func<string, string> Redact);
