using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Tuner.Core.Errors;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL study store is, read from what the user passed as <c>--storage</c>: a libpq-style URL
/// (<c>postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require</c>, also <c>postgresql://</c>) or an Npgsql
/// <c>Key=Value;...</c> connection string. The password stays inside this object: it is never part of
/// <see cref="DisplayName"/>, <see cref="ToString"/> or an error message (<see cref="Redact"/> removes it from any text
/// that might quote it), so logs, reports and terminals never see it.
/// </summary>
internal sealed partial class PostgresLocation
{
    /// <summary>The port PostgreSQL listens on unless told otherwise.</summary>
    public const int DefaultPort = 5432;

    /// <summary>Secrets shorter than this are not searched for in messages (masking every "a" would garble them).</summary>
    private const int ShortestRedactedSecret = 3;

    private const string UrlAdvice = "write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode @ : / ? # in the password)";

    /// <summary>The URL query parameters understood, as libpq names them.</summary>
    private static readonly string[] QueryParameters =
    [
        "host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword",
        "connect_timeout", "command_timeout", "application_name", "target_session_attrs", "options",
    ];

    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly string _scheme;
    private readonly string[] _secrets;

    /// <summary>The environment variable that carries the password when the location has none (as libpq's).</summary>
    public const string PasswordVariable = "PGPASSWORD";

    private PostgresLocation(NpgsqlConnectionStringBuilder builder, string scheme, IEnumerable<string?> secrets)
    {
        _builder = builder;
        _scheme = scheme;
        var all = secrets.ToList();
        if (string.IsNullOrEmpty(builder.Password) && Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            // Read here rather than left to Npgsql, so the password from the environment is masked in messages as well.
            builder.Password = fromEnvironment;
            all.Add(fromEnvironment);
            all.Add(Uri.EscapeDataString(fromEnvironment));
        }

        _secrets = Usable(all);
        DisplayName = Display(scheme, builder);
    }

    /// <summary>The password (from the location or <see cref="PasswordVariable"/>), or null: what a launcher hands to workers through their environment.</summary>
    public string? Password => string.IsNullOrEmpty(_builder.Password) ? null : _builder.Password;

    /// <summary>True when the location sets an SSL key password, which has no environment variable to travel in.</summary>
    public bool HasSslPassword => !string.IsNullOrEmpty(_builder.SslPassword);

    /// <summary>
    /// The location as a URL with everything but the password (user, hosts, port, database and every libpq parameter
    /// given): what may appear on a command line or in a job script; the password travels in <see cref="PasswordVariable"/>.
    /// </summary>
    public string WithoutPassword()
    {
        var text = new StringBuilder(_scheme).Append("://");
        if (!string.IsNullOrEmpty(_builder.Username))
        {
            text.Append(Uri.EscapeDataString(_builder.Username)).Append('@');
        }

        string host = _builder.Host ?? string.Empty;
        if (host.Contains(',', StringComparison.Ordinal))
        {
            text.Append(string.Join(',', host.Split(',').Select(h => Uri.EscapeDataString(h.Trim()).Replace("%3A", ":", StringComparison.Ordinal))));
        }
        else
        {
            text.Append(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : Uri.EscapeDataString(host))
                .Append(':')
                .Append(_builder.Port.ToString(CultureInfo.InvariantCulture));
        }

        text.Append('/');
        if (!string.IsNullOrEmpty(_builder.Database))
        {
            text.Append(Uri.EscapeDataString(_builder.Database));
        }

        var query = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        if (_builder.SslMode != SslMode.Prefer)
        {
            Add("sslmode", _builder.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => null,
            });
        }

        Add("sslrootcert", _builder.RootCertificate);
        Add("sslcert", _builder.SslCertificate);
        Add("sslkey", _builder.SslKey);
        if (_builder.Timeout != new NpgsqlConnectionStringBuilder().Timeout)
        {
            Add("connect_timeout", _builder.Timeout.ToString(CultureInfo.InvariantCulture));
        }

        if (_builder.CommandTimeout != new NpgsqlConnectionStringBuilder().CommandTimeout)
        {
            Add("command_timeout", _builder.CommandTimeout.ToString(CultureInfo.InvariantCulture));
        }

        if (_builder.ApplicationName != "tuner")
        {
            Add("application_name", _builder.ApplicationName);
        }

        Add("target_session_attrs", _builder.TargetSessionAttributes);
        Add("options", _builder.Options);
        if (query.Count > 0)
        {
            text.Append('?').Append(string.Join('&', query));
        }

        return text.ToString();
    }

    /// <summary>The store as <c>postgres://USER@HOST:PORT/DATABASE</c>: everything needed to recognise it, no password.</summary>
    public string DisplayName { get; }

    /// <summary>
    /// True when <paramref name="location"/> names a PostgreSQL store: a <c>postgres://</c> or <c>postgresql://</c>
    /// URL, or a connection string with a <c>Host=</c> (or <c>Server=</c>) key. Anything else is a file path.
    /// </summary>
    public static bool IsPostgres(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        string text = location.Trim();
        if (SchemeOf(text) is { } scheme)
        {
            return IsPostgresScheme(scheme);
        }

        foreach (string part in text.Split(';'))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                string key = part[..equals].Trim();
                if (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The URL scheme of <paramref name="location"/> (lower case, e.g. <c>postgres</c>), or null when it has none.</summary>
    public static string? SchemeOf(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        Match match = SchemePattern().Match(location.Trim());
        return match.Success ? match.Groups[1].Value.ToLowerInvariant() : null;
    }

    /// <summary>
    /// Reads a URL or a connection string. Throws a one-line <see cref="TunerInputException"/> (without the password)
    /// when it cannot be read.
    /// </summary>
    public static PostgresLocation Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        string text = location.Trim();
        return SchemeOf(text) is { } scheme
            ? IsPostgresScheme(scheme)
                ? ParseUrl(text, scheme)
                : throw new TunerInputException($"--storage {MaskUrl(text)} is not a PostgreSQL URL (scheme '{scheme}'): {UrlAdvice}")
            : ParseConnectionString(text);
    }

    /// <summary>
    /// <paramref name="url"/> with its password (user info and <c>password</c>/<c>sslpassword</c> parameters) replaced
    /// by <c>***</c>, for messages about a URL that could not be read.
    /// </summary>
    public static string MaskUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string text = SqliteStoreFile.OneLine(url, 300);
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int at = text.LastIndexOf('@');
        if (at > start)
        {
            int colon = text.IndexOf(':', start, at - start);
            if (colon >= 0)
            {
                text = string.Concat(text.AsSpan(0, colon + 1), "***", text.AsSpan(at));
            }
        }

        return SecretParameterPattern().Replace(text, "$1***");
    }

    /// <summary><paramref name="text"/> with every occurrence of the password (as given, and percent-encoded) replaced by <c>***</c>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RedactAll(text, _secrets);
    }

    /// <summary>A pool of connections to the store (one per <see cref="PostgresStudyStorage"/> instance).</summary>
    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ToBuilder());

    /// <summary>A copy of the connection settings, password included (for the data source and for tests only).</summary>
    internal NpgsqlConnectionStringBuilder ToBuilder() => new(_builder.ConnectionString);

    /// <summary>The <see cref="DisplayName"/>: never the password.</summary>
    public override string ToString() => DisplayName;

    private static string RedactAll(string text, string[] secrets)
    {
        foreach (string secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The secrets worth searching for, longest first (so that a longer form is masked before a part of it).</summary>
    private static string[] Usable(IEnumerable<string?> secrets) =>
        [.. secrets.OfType<string>().Where(s => s.Length >= ShortestRedactedSecret).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];

    private static bool IsPostgresScheme(string scheme) => scheme is "postgres" or "postgresql";

    private static PostgresLocation ParseUrl(string url, string scheme)
    {
        string rest = url[(scheme.Length + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();
        var secrets = new List<string?>();
        string hostPart = rest;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = rest[..at];
            hostPart = rest[(at + 1)..];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            string user = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            if (user.Length > 0)
            {
                builder.Username = user;
            }

            if (colon >= 0)
            {
                string rawPassword = userInfo[(colon + 1)..];
                builder.Password = Decode(rawPassword);
                secrets.Add(rawPassword);
                secrets.Add(builder.Password);
                secrets.Add(Uri.EscapeDataString(builder.Password));
            }
        }

        TunerInputException Invalid(string why) =>
            new($"--storage {MaskUrl(url)} is not a valid PostgreSQL URL ({why}): {UrlAdvice}");

        int fragment = hostPart.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            hostPart = hostPart[..fragment];
        }

        string? query = null;
        int question = hostPart.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            query = hostPart[(question + 1)..];
            hostPart = hostPart[..question];
        }

        int slash = hostPart.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            string database = Decode(hostPart[(slash + 1)..]);
            hostPart = hostPart[..slash];
            if (database.Contains('/', StringComparison.Ordinal))
            {
                throw Invalid($"database name '{database}' contains '/'");
            }

            if (database.Length > 0)
            {
                builder.Database = database;
            }
        }

        if (hostPart.Length > 0)
        {
            ReadHostAndPort(hostPart, builder, Invalid);
        }

        if (query is not null)
        {
            foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string key = Decode(equals < 0 ? pair : pair[..equals]);
                string value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
                if (key is "password" or "sslpassword")
                {
                    secrets.Add(equals < 0 ? null : pair[(equals + 1)..]);
                    secrets.Add(value);
                }

                ApplyParameter(builder, key, value, Invalid);
            }
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw Invalid("it names no host");
        }

        ApplyDefaults(builder);
        return new PostgresLocation(builder, scheme, secrets);
    }

    private static void ReadHostAndPort(string hostPart, NpgsqlConnectionStringBuilder builder, Func<string, TunerInputException> invalid)
    {
        if (hostPart.Contains(',', StringComparison.Ordinal))
        {
            // Several hosts (failover): Npgsql reads "h1:p1,h2:p2" in Host itself.
            builder.Host = Decode(hostPart);
            return;
        }

        string host = hostPart;
        string? port = null;
        if (hostPart.StartsWith('['))
        {
            int close = hostPart.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw invalid("an IPv6 host lacks its closing ']'");
            }

            host = hostPart[1..close];
            string after = hostPart[(close + 1)..];
            if (after.Length > 0)
            {
                port = after.StartsWith(':') ? after[1..] : throw invalid($"'{after}' follows the IPv6 host");
            }
        }
        else
        {
            int colon = hostPart.LastIndexOf(':');
            if (colon >= 0)
            {
                host = hostPart[..colon];
                port = hostPart[(colon + 1)..];
            }
        }

        builder.Host = Decode(host);
        if (!string.IsNullOrEmpty(port))
        {
            builder.Port = ParsePort(port, invalid);
        }
    }

    private static int ParsePort(string text, Func<string, TunerInputException> invalid) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            ? port
            : throw invalid($"port '{text}' is not a number from 1 to 65535");

    private static void ApplyParameter(NpgsqlConnectionStringBuilder builder, string key, string value, Func<string, TunerInputException> invalid)
    {
        switch (key)
        {
            case "host":
                builder.Host = value;
                break;
            case "port":
                builder.Port = ParsePort(value, invalid);
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "dbname":
                builder.Database = value;
                break;
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw invalid($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "sslpassword":
                builder.SslPassword = value;
                break;
            case "connect_timeout":
                builder.Timeout = ParseSeconds(key, value, invalid);
                break;
            case "command_timeout":
                builder.CommandTimeout = ParseSeconds(key, value, invalid);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "target_session_attrs":
                builder.TargetSessionAttributes = value;
                break;
            case "options":
                builder.Options = value;
                break;
            default:
                throw invalid($"unknown parameter '{key}'; known: {string.Join(", ", QueryParameters)}");
        }
    }

    private static int ParseSeconds(string key, string value, Func<string, TunerInputException> invalid) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds <= 3600
            ? seconds
            : throw invalid($"{key} '{value}' is not a number of seconds from 0 to 3600");

    private static PostgresLocation ParseConnectionString(string text)
    {
        // Find the password with the generic parser first, so that no message below can quote it.
        var secrets = new List<string?>();
        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = text };
            foreach (string key in new[] { "password", "pwd", "psw", "ssl password" })
            {
                if (generic.TryGetValue(key, out object? value))
                {
                    secrets.Add(Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
        }
        catch (ArgumentException)
        {
            throw new TunerInputException(
                "--storage: the PostgreSQL connection string cannot be read (it is not a list of Key=Value pairs separated by ';'): " +
                "write it as Host=HOST;Port=PORT;Username=USER;Password=PASSWORD;Database=DATABASE, or as postgres://USER:PASSWORD@HOST:PORT/DATABASE");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new TunerInputException(
                $"--storage: the PostgreSQL connection string is not valid ({RedactAll(SqliteStoreFile.OneLine(ex.Message), Usable(secrets))}): " +
                "check its keys and values (see the Npgsql connection string reference)");
        }

        secrets.Add(builder.Password);
        secrets.Add(builder.SslPassword);
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new TunerInputException("--storage: the PostgreSQL connection string names no Host: add Host=HOST");
        }

        ApplyDefaults(builder);
        return new PostgresLocation(builder, "postgres", secrets);
    }

    /// <summary>Settings tuner always wants: its name in <c>pg_stat_activity</c>, and the password never echoed back.</summary>
    private static void ApplyDefaults(NpgsqlConnectionStringBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "tuner";
        }

        builder.PersistSecurityInfo = false;
        builder.IncludeErrorDetail = false;
    }

    private static string Display(string scheme, NpgsqlConnectionStringBuilder builder)
    {
        var text = new StringBuilder(scheme).Append("://");
        if (!string.IsNullOrEmpty(builder.Username))
        {
            text.Append(builder.Username).Append('@');
        }

        string host = builder.Host ?? string.Empty;
        if (host.Contains(',', StringComparison.Ordinal))
        {
            text.Append(host);
        }
        else
        {
            text.Append(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)
                .Append(':')
                .Append(builder.Port.ToString(CultureInfo.InvariantCulture));
        }

        text.Append('/').Append(builder.Database ?? builder.Username ?? string.Empty);
        return SqliteStoreFile.OneLine(text.ToString(), 300);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*)://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    [GeneratedRegex(@"((?:^|[?&;])\s*(?:ssl)?password\s*=)[^&;]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameterPattern();
}
