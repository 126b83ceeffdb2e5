using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tuner.Storage.Tests.Postgres;

/// <summary>The tests that share one throw-away PostgreSQL server (<see cref="PostgresServer"/>).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A private PostgreSQL cluster for the tests, started once for the collection and thrown away after it: <c>initdb</c>
/// into a fresh temp folder, <c>pg_ctl start</c> on a free port bound to 127.0.0.1 (and a Unix socket in that folder),
/// then <c>pg_ctl stop -m immediate</c> and the folder deleted. Nothing of the machine's own PostgreSQL (if any) is
/// used or touched. Over TCP the user <see cref="User"/> must give <see cref="Password"/> (scram-sha-256), so the
/// password-hiding tests use a password that matters; over the socket it is trusted (used to create databases).
/// </summary>
/// <remarks>
/// The server binaries are found in <c>$TUNER_PG_BIN</c> or the newest <c>/usr/lib/postgresql/*/bin</c>. When they are
/// missing the fixture throws, so every PostgreSQL test FAILS naming <c>apt-get install postgresql</c>: they are never
/// silently skipped. PostgreSQL refuses to run as root, so as root the cluster is run as the <c>postgres</c> user via
/// <c>runuser -u postgres --</c>, in a folder under /tmp owned by that user.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The cluster's superuser.</summary>
    public const string User = "tuner";

    /// <summary>The user the server runs as when the tests run as root.</summary>
    public const string ServerUser = "postgres";

    public const string Host = "127.0.0.1";

    private const string InstallAdvice =
        "install the server with `apt-get install -y postgresql-15` (Debian 12; any version >= 13 works, " +
        "e.g. `apt-get install -y postgresql`), or set TUNER_PG_BIN to a folder holding initdb, pg_ctl, createdb and dropdb";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private string? _bin;
    private string? _folder;
    private bool _asServerUser;
    private bool _started;
    private string? _options;

    /// <summary>A password with characters that must be percent-encoded in a URL; the hex part is unique to this run.</summary>
    public string Password { get; } = "pw:@/?#%" + PasswordMarker;

    /// <summary>The unguessable part of <see cref="Password"/>: a test that finds it in a message has found a leak.</summary>
    public static string PasswordMarker { get; } = "s3cr" + Guid.NewGuid().ToString("N")[..16];

    public int Port { get; private set; }

    /// <summary>The folder that holds the data directory, the log and the Unix socket.</summary>
    public string Folder => _folder ?? throw new InvalidOperationException("the PostgreSQL test server is not started");

    /// <summary>The URL of <paramref name="database"/> with the password, percent-encoded as libpq wants it.</summary>
    public string Url(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"postgres://{User}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{database}");

    /// <summary>What <see cref="Storage.Postgres.PostgresStudyStorage.DisplayName"/> should be for <paramref name="database"/>.</summary>
    public string DisplayName(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"postgres://{User}@{Host}:{Port}/{database}");

    /// <summary>An Npgsql connection string for raw access to <paramref name="database"/> (no pooling).</summary>
    public string ConnectionString(string database) => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _asServerUser = await IsRootAsync();
        string root = _asServerUser ? "/tmp" : Path.GetTempPath();
        _folder = Path.Combine(root, "tuner-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_folder);
        string passwordFile = Path.Combine(_folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (_asServerUser)
        {
            await RunAsync("id", ["-u", ServerUser], asServerUser: false, $"the tests run as root, and PostgreSQL refuses to; they run it as the '{ServerUser}' user, which does not exist: {InstallAdvice}");
            await RunAsync("chown", ["-R", ServerUser, _folder], asServerUser: false);
        }

        await RunAsync(
            Path.Combine(_bin, "initdb"),
            ["-D", DataFolder, "-U", User, "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C", "--no-sync"],
            _asServerUser);
        File.Delete(passwordFile);

        Exception? last = null;
        for (int attempt = 0; attempt < 3 && !_started; attempt++)
        {
            Port = FreePort();
            string options = string.Create(
                CultureInfo.InvariantCulture,
                $"-p {Port} -k {_folder} -c listen_addresses={Host} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB");
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"], _asServerUser);
                _started = true;
                _options = options;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
            }
        }

        if (!_started)
        {
            throw new InvalidOperationException($"the PostgreSQL test server did not start; its log {LogFile} says: {Tail(LogFile)}", last);
        }
    }

    public async Task DisposeAsync()
    {
        if (_started && _bin is not null)
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], _asServerUser);
            _started = false;
        }

        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Whether the server runs (false between <see cref="StopAsync"/> and <see cref="StartAsync"/>).</summary>
    public bool IsRunning => _started;

    /// <summary>
    /// Stops the server: <c>pg_ctl stop -m fast</c> by default, which ends every session (clients see SQLSTATE 57P01 or a
    /// closed connection) and writes a shutdown checkpoint, so no acknowledged commit is lost even with
    /// <c>synchronous_commit=off</c>. (<c>-m immediate</c> may drop the last commits of this fsync-less cluster.)
    /// </summary>
    public async Task StopAsync(string mode = "fast")
    {
        if (_started)
        {
            await RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", DataFolder, "-m", mode, "-w", "-t", "60", "stop"], _asServerUser);
            _started = false;
        }
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port, socket folder and settings.</summary>
    public async Task StartAsync()
    {
        if (!_started)
        {
            string options = _options ?? throw new InvalidOperationException("the PostgreSQL test server was never started");
            try
            {
                await RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", DataFolder, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"], _asServerUser);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"the PostgreSQL test server did not start again on port {Port}; its log {LogFile} says: {Tail(LogFile)}", ex);
            }

            _started = true;
        }
    }

    /// <summary>
    /// Restarts the server on the same port: <see cref="StopAsync"/> (<c>-m fast</c>), then <paramref name="downtime"/>
    /// with nothing listening (clients get "connection refused"), then <see cref="StartAsync"/>.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime = default)
    {
        await StopAsync();
        if (downtime > TimeSpan.Zero)
        {
            await Task.Delay(downtime);
        }

        await StartAsync();
    }

    /// <summary>Creates an empty database with a unique name and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N")[..20];
        await RunAsync(Path.Combine(_bin!, "createdb"), [.. SocketArguments(), name], asServerUser: false);
        return name;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing any connection still open on it.</summary>
    public Task DropDatabaseAsync(string name) =>
        RunAsync(Path.Combine(_bin!, "dropdb"), [.. SocketArguments(), "--force", "--if-exists", name], asServerUser: false);

    private string DataFolder => Path.Combine(Folder, "data");

    private string LogFile => Path.Combine(Folder, "server.log");

    private string[] SocketArguments() => ["-h", Folder, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-w"];

    /// <summary>The folder with initdb and pg_ctl: <c>$TUNER_PG_BIN</c>, else the newest <c>/usr/lib/postgresql/N/bin</c>.</summary>
    private static string FindBinaries()
    {
        string? configured = Environment.GetEnvironmentVariable("TUNER_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return HasBinaries(configured)
                ? configured
                : throw new InvalidOperationException($"TUNER_PG_BIN={configured} lacks initdb, pg_ctl, createdb or dropdb: {InstallAdvice}");
        }

        const string Installed = "/usr/lib/postgresql";
        string? bin = Directory.Exists(Installed)
            ? Directory.GetDirectories(Installed)
                .Select(folder => (Folder: folder, Version: int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0))
                .OrderByDescending(f => f.Version)
                .Select(f => Path.Combine(f.Folder, "bin"))
                .FirstOrDefault(HasBinaries)
            : null;
        return bin ?? throw new InvalidOperationException(
            $"the PostgreSQL tests need the PostgreSQL server programs (initdb, pg_ctl, createdb, dropdb) under {Installed}/*/bin, and there are none: {InstallAdvice}");
    }

    private static bool HasBinaries(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")) && File.Exists(Path.Combine(folder, "createdb")) && File.Exists(Path.Combine(folder, "dropdb"));

    private async Task<bool> IsRootAsync() => (await RunAsync("id", ["-u"], asServerUser: false)).Trim() == "0";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tail(string path)
    {
        try
        {
            string[] lines = File.ReadAllLines(path);
            return string.Join(" | ", lines.TakeLast(8));
        }
        catch (IOException ex)
        {
            return "(unreadable: " + ex.Message + ")";
        }
    }

    /// <summary>Runs a program (as <see cref="ServerUser"/> via runuser when asked) in the cluster's folder and returns its
    /// output; throws with the output when it fails or takes longer than <see cref="CommandTimeout"/>.</summary>
    private async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser, string? failure = null)
    {
        var start = new ProcessStartInfo(asServerUser ? "runuser" : program)
        {
            // PostgreSQL's programs fail when they cannot read their working directory (e.g. a checkout under a
            // folder only root may enter), so they run in the cluster's own folder.
            WorkingDirectory = _folder is not null && Directory.Exists(_folder) ? _folder : Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asServerUser)
        {
            foreach (string argument in new[] { "-u", ServerUser, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // PG* variables of the machine (PGHOST, PGDATABASE, ...) must not steer the throw-away cluster.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        string command = string.Join(' ', start.ArgumentList.Prepend(start.FileName));
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command}");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{command} did not finish within {CommandTimeout.TotalSeconds} s");
        }

        var text = new StringBuilder();
        text.Append(await output).Append(await error);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                failure ?? string.Create(CultureInfo.InvariantCulture, $"{command} failed with exit code {process.ExitCode}: {text.ToString().Trim()}"));
        }

        return text.ToString();
    }
}
