using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tuner.Cli.Tests.Slurm;

/// <summary>The tests that share one throw-away Slurm cluster and PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmClusterGroup : ICollectionFixture<SlurmCluster>, ICollectionFixture<Storage.Tests.Postgres.PostgresServer>
{
    public const string Name = "slurm";
}

/// <summary>
/// A real one-node Slurm cluster for the tests (Debian 12's slurmctld and slurmd, 22.05), started once for the
/// collection from a configuration in a fresh temp folder and stopped after it by the PIDs of the two daemons it
/// started: nothing of the machine's own Slurm configuration (if any) is used or touched. The node is this machine
/// (its name must be <c>hostname -s</c>) with its cores, 500 MB of memory per CPU by default (so array tasks run side
/// by side) and two fake GPUs (<c>/dev/null</c> and <c>/dev/zero</c>: gres must name files, and then
/// <c>--gres=gpu:1</c> is scheduled and <c>CUDA_VISIBLE_DEVICES</c> set). Authentication is <c>auth/none</c> (tests
/// only; no munged). <c>SLURM_CONF</c> is set for this process while the cluster runs, so sbatch, squeue and scancel
/// started by tuner, and the jobs, use it.
/// </summary>
/// <remarks>
/// When slurmctld or slurmd is missing every Slurm test FAILS naming the packages (never skipped). slurmd starts jobs
/// as their user, so the tests need root (CI runs as root).
/// </remarks>
public sealed class SlurmCluster : IAsyncLifetime
{
    public const string Partition = "tunertest";

    private const string InstallAdvice = "install Slurm with `apt-get install -y --no-install-recommends slurmctld slurmd slurm-client` (Debian 12: Slurm 22.05)";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Process> _daemons = [];
    private string? _previousConf;

    /// <summary>The folder with slurm.conf, gres.conf, the state, the spool and the daemons' logs.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "tuner-slurm-" + Guid.NewGuid().ToString("N")[..10]);

    public string ConfigFile => Path.Combine(Folder, "slurm.conf");

    /// <summary>The node's name (this machine's short host name).</summary>
    public string Node { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        foreach (string program in new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd" })
        {
            if (!File.Exists(program))
            {
                throw new InvalidOperationException($"the Slurm tests need {program}, and there is none: {InstallAdvice}");
            }
        }

        if ((await RunAsync("id", "-u")).Trim() != "0")
        {
            throw new InvalidOperationException("the Slurm tests need root: slurmd starts the jobs as their user (CI runs as root)");
        }

        Node = (await RunAsync("hostname", "-s")).Trim();
        Directory.CreateDirectory(Path.Combine(Folder, "state"));
        Directory.CreateDirectory(Path.Combine(Folder, "spool"));
        int controllerPort = FreePort();
        int nodePort = FreePort();
        int cpus = Environment.ProcessorCount;
        string config = string.Create(CultureInfo.InvariantCulture, $"""
            ClusterName=tunertest
            SlurmctldHost={Node}
            AuthType=auth/none
            CredType=cred/none
            SlurmUser=root
            SlurmdUser=root
            SlurmctldPort={controllerPort}
            SlurmdPort={nodePort}
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/slurmctld.pid
            SlurmdPidFile={Folder}/slurmd.pid
            SlurmctldLogFile={Folder}/slurmctld.log
            SlurmdLogFile={Folder}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            MailProg=/bin/true
            MpiDefault=none
            SchedulerType=sched/backfill
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core_Memory
            DefMemPerCPU=500
            ReturnToService=2
            KillWait=30
            MinJobAge=600
            GresTypes=gpu
            NodeName={Node} CPUs={cpus} RealMemory={500 * cpus * 2} Gres=gpu:2 State=UNKNOWN
            PartitionName={Partition} Nodes={Node} Default=YES MaxTime=INFINITE State=UP
            """);
        await File.WriteAllTextAsync(ConfigFile, config + "\n");
        await File.WriteAllTextAsync(Path.Combine(Folder, "gres.conf"), $"NodeName={Node} Name=gpu File=/dev/null\nNodeName={Node} Name=gpu File=/dev/zero\n");

        _previousConf = Environment.GetEnvironmentVariable("SLURM_CONF");
        Environment.SetEnvironmentVariable("SLURM_CONF", ConfigFile);
        _daemons.Add(StartDaemon("/usr/sbin/slurmctld", "-D", "-i"));
        _daemons.Add(StartDaemon("/usr/sbin/slurmd", "-D"));

        // Ready when the node is idle (the controller answers and the node registered).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            string state = await TryRunAsync("sinfo", "--noheader", "--format=%t", "--partition=" + Partition);
            if (state.Trim() == "idle")
            {
                return;
            }

            if (DateTime.UtcNow > deadline || _daemons.Any(d => d.HasExited))
            {
                throw new InvalidOperationException($"the test Slurm cluster did not come up (node state '{state.Trim()}'): slurmctld.log says {Tail("slurmctld.log")}; slurmd.log says {Tail("slurmd.log")}");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        // Jobs first (their workers hand back their trials), then the two daemons this fixture started, by PID.
        await TryRunAsync("scancel", "--partition=" + Partition);
        await Task.Delay(500);
        foreach (Process daemon in _daemons)
        {
            try
            {
                if (!daemon.HasExited)
                {
                    daemon.Kill(entireProcessTree: true);
                    await daemon.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
                }
            }
            catch (InvalidOperationException)
            {
            }

            daemon.Dispose();
        }

        Environment.SetEnvironmentVariable("SLURM_CONF", _previousConf);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a job's output still being written; the temp folder is the machine's to clean
        }
    }

    /// <summary>Runs a Slurm command against this cluster and returns its standard output (throws when it fails).</summary>
    public static Task<string> RunAsync(string program, params string[] arguments) => RunCoreAsync(program, arguments, throwOnFailure: true);

    /// <summary>As <see cref="RunAsync"/>, but returns stdout and stderr together whatever the exit code.</summary>
    public static Task<string> TryRunAsync(string program, params string[] arguments) => RunCoreAsync(program, arguments, throwOnFailure: false);

    private Process StartDaemon(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLURM_CONF"] = ConfigFile;
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private string Tail(string log)
    {
        try
        {
            return string.Join(" | ", File.ReadAllLines(Path.Combine(Folder, log)).TakeLast(6));
        }
        catch (IOException ex)
        {
            return "(unreadable: " + ex.Message + ")";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunCoreAsync(string program, string[] arguments, bool throwOnFailure)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        var text = new StringBuilder(await output);
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return throwOnFailure ? text.ToString() : text.Append(await error).ToString();
    }
}
