using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using OsProcess = System.Diagnostics.Process;

namespace Tuner.Runner.Processes;

/// <summary>Settings of a <see cref="ProcessTrialRunner"/>: where the worker is, how long it may run, what it gets in its environment.</summary>
public sealed record ProcessTrialRunnerOptions
{
    /// <summary>The worker assembly; null: <c>tuner.dll</c> next to the running program (<see cref="AppContext.BaseDirectory"/>).</summary>
    public string? TunerDllPath { get; init; }

    /// <summary>The <c>dotnet</c> host that runs the worker; null: the one running this process (see <see cref="ProcessTrialRunner.DefaultDotNetPath"/>).</summary>
    public string? DotNetPath { get; init; }

    /// <summary>Added to (or, with a null value, removed from) the worker's environment only; e.g. <c>TUNER_WORKER_FAULT</c> in tests.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>A wall-clock budget's limit is the budget times this (evaluation is real time, but not charged) ...</summary>
    public double WallClockBudgetFactor { get; init; } = 2.0;

    /// <summary>... plus this grace for process start, libtorch and data loading.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The limit for step, sample and epoch budgets, whose wall-clock length is not known in advance.</summary>
    public TimeSpan OtherBudgetLimit { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a worker may take to exit after sending its result before it is killed (the result is kept).</summary>
    public TimeSpan ExitGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the worker's stderr lines, stray stdout lines and lifecycle notes (start time, kills), each prefixed with the worker's pid.</summary>
    public IProgress<string>? Log { get; init; }

    /// <summary>Called with the worker's pid as soon as its process has started (monitoring, tests).</summary>
    public Action<int>? WorkerStarted { get; init; }

    /// <summary>The clock for <see cref="TrialRecord.StartedAt"/> of records made here and for the wall-clock limit.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Runs each trial in its own <c>tuner worker</c> process (as BenchmarkDotNet runs each benchmark), speaking
/// <see cref="WorkerProtocol"/>: a native crash, a leak or a hang costs one trial, and every trial starts from a fresh
/// process. The worker is started without a shell (arguments are passed as a list, the suite travels as JSON data).
/// <list type="bullet">
/// <item>Progress is forwarded; the request's pruner (<see cref="TrialRequest.ShouldStop"/>) is asked after each
/// evaluation and answered before the worker trains on, so it stops the trial at the same evaluation as in-process.</item>
/// <item>A worker that outlives its wall-clock limit (<see cref="LimitFor"/>) is killed with its process tree.</item>
/// <item>A crash, kill or failed start is a <see cref="TrialStatus.Failed"/> record whose reason starts with
/// <see cref="InfrastructureFailurePrefix"/> (<see cref="IsInfrastructureFailure"/>), never an exception: the study
/// goes on, and a caller may retry exactly these. A trial's own failure (the worker's <c>failed</c> event or a
/// finished Failed record) has no such prefix.</item>
/// <item>Cancellation kills the worker and throws <see cref="OperationCanceledException"/>.</item>
/// </list>
/// Safe to use for several trials at once: each call has its own process and state.
/// </summary>
public sealed class ProcessTrialRunner : ITrialRunner
{
    /// <summary>How the reason of an infrastructure failure (the worker process crashed, was killed or did not start) begins.</summary>
    public const string InfrastructureFailurePrefix = "worker crashed: ";

    private const int StderrTailLines = 40;
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly Lazy<string> DotNet = new(FindDotNet);

    private readonly ProcessTrialRunnerOptions _options;

    public ProcessTrialRunner(ProcessTrialRunnerOptions? options = null)
    {
        _options = options ?? new ProcessTrialRunnerOptions();
    }

    /// <summary>tuner.dll next to the running program.</summary>
    public static string DefaultTunerDllPath => Path.Combine(AppContext.BaseDirectory, "tuner.dll");

    /// <summary>
    /// The <c>dotnet</c> host: <c>DOTNET_HOST_PATH</c> (set by the SDK for tests and builds), else this process when it
    /// is <c>dotnet</c>, else the one that owns the running runtime, else <c>dotnet</c> on the PATH.
    /// </summary>
    public static string DefaultDotNetPath => DotNet.Value;

    /// <summary>True for a Failed record made because the worker process crashed, was killed at its limit or could not start (worth a retry); false for a trial's own outcome.</summary>
    public static bool IsInfrastructureFailure(TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Status == TrialStatus.Failed && record.FailureReason is string reason &&
            reason.StartsWith(InfrastructureFailurePrefix, StringComparison.Ordinal);
    }

    /// <summary>The wall-clock limit of a trial: budget x <see cref="ProcessTrialRunnerOptions.WallClockBudgetFactor"/> + grace for a wall-clock budget, <see cref="ProcessTrialRunnerOptions.OtherBudgetLimit"/> otherwise.</summary>
    public TimeSpan LimitFor(Budget budget) => budget.Unit == BudgetUnit.WallClock
        ? TimeSpan.FromSeconds(budget.Amount * _options.WallClockBudgetFactor) + _options.Grace
        : _options.OtherBudgetLimit;

    public async Task<TrialRecord> RunAsync(TrialRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset startedAt = _options.Time.GetUtcNow();
        string dll = Path.GetFullPath(_options.TunerDllPath ?? DefaultTunerDllPath);
        if (!File.Exists(dll))
        {
            return FailedRecord(request, startedAt, null, $"{InfrastructureFailurePrefix}could not start: {dll} not found (build harness/Tuner.Cli, or set the worker path)");
        }

        string requestLine = WorkerProtocol.Serialize(WorkerRequest.From(request));
        using OsProcess process = new() { StartInfo = StartInfo(dll) };
        var stderr = new StderrTail(_options.Log);
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        long startTimestamp = Stopwatch.GetTimestamp();
        try
        {
            if (!process.Start())
            {
                return FailedRecord(request, startedAt, null, $"{InfrastructureFailurePrefix}could not start {process.StartInfo.FileName}");
            }
        }
        catch (Win32Exception ex)
        {
            return FailedRecord(request, startedAt, null, $"{InfrastructureFailurePrefix}could not start {process.StartInfo.FileName}: {ex.Message}");
        }

        int pid = process.Id;
        stderr.Pid = pid;
        process.BeginErrorReadLine();
        _options.WorkerStarted?.Invoke(pid);

        TimeSpan limit = LimitFor(request.Budget);
        using var limitReached = new CancellationTokenSource(limit, _options.Time);
        using var killSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limitReached.Token);
        using CancellationTokenRegistration killOnCancel = killSource.Token.Register(static state => KillTree((OsProcess)state!), process);
        WorkerStarted? started = null;
        TrialRecord? result = null;
        string? failure = null;
        try
        {
            await SendAsync(process, requestLine).ConfigureAwait(false);
            var curve = new List<EvaluationPoint>();
            while (result is null && failure is null)
            {
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    line = null;
                }

                if (line is null)
                {
                    break;
                }

                switch (WorkerProtocol.TryDeserializeEvent(line))
                {
                    case WorkerStarted s:
                        started = s;
                        _options.Log?.Report(string.Create(CultureInfo.InvariantCulture,
                            $"worker {pid}: started in {Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds:0} ms"));
                        break;
                    case WorkerProgress p:
                        progress?.Report(p.ToTrainingProgress());
                        break;
                    case WorkerEvaluation e:
                        curve.Add(e.Point);
                        if (request.ShouldStop is { } shouldStop)
                        {
                            await SendAsync(process, WorkerProtocol.Serialize(shouldStop(curve) ? HostCommand.Stop : HostCommand.Continue)).ConfigureAwait(false);
                        }

                        break;
                    case WorkerFinished f:
                        result = f.Record;
                        break;
                    case WorkerFailed f:
                        failure = f.Reason;
                        break;
                    default:
                        _options.Log?.Report($"worker {pid}: (stdout) {line}");
                        break;
                }
            }

            if (result is not null || failure is not null)
            {
                if (!await WaitForExitAsync(process, _options.ExitGrace).ConfigureAwait(false))
                {
                    _options.Log?.Report($"worker {pid}: did not exit after its result; killed");
                    KillTree(process);
                }
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            KillTree(process); // a no-op once it has exited; otherwise (a pruner or progress handler threw) it must not outlive the call
        }

        if (result is not null)
        {
            return result;
        }

        if (failure is not null)
        {
            return FailedRecord(request, startedAt, started, failure);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the trial was cancelled; its worker was killed", cancellationToken);
        }

        if (limitReached.IsCancellationRequested)
        {
            string why = request.Budget.Unit == BudgetUnit.WallClock
                ? string.Create(CultureInfo.InvariantCulture, $"budget {request.Budget} x {_options.WallClockBudgetFactor:0.##} + {_options.Grace.TotalSeconds:0} s grace")
                : $"the limit for a {request.Budget} budget";
            _options.Log?.Report(string.Create(CultureInfo.InvariantCulture, $"worker {pid}: killed after {limit.TotalSeconds:0} s"));
            return FailedRecord(request, startedAt, started,
                string.Create(CultureInfo.InvariantCulture, $"{InfrastructureFailurePrefix}killed after {limit.TotalSeconds:0} s ({why})"));
        }

        string? last = stderr.LastMessage();
        return FailedRecord(request, startedAt, started,
            InfrastructureFailurePrefix + DescribeExit(process.ExitCode) + (last is null ? string.Empty : "; stderr: " + last));
    }

    /// <summary>What a worker's exit code says, for one that ended without a result (on Unix, 128 + n is signal n).</summary>
    public static string DescribeExit(int exitCode) => exitCode switch
    {
        134 => "aborted (signal 6, SIGABRT)",
        137 => "killed (signal 9; out of memory?)",
        139 => "segmentation fault (signal 11, SIGSEGV)",
        143 => "terminated (signal 15, SIGTERM)",
        130 => "interrupted (signal 2, SIGINT)",
        > 128 and < 128 + 65 when !OperatingSystem.IsWindows() => string.Create(CultureInfo.InvariantCulture, $"killed by signal {exitCode - 128}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"exited with code {exitCode} without a result"),
    };

    private ProcessStartInfo StartInfo(string dll)
    {
        var info = new ProcessStartInfo(_options.DotNetPath ?? DefaultDotNetPath)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("worker");
        foreach ((string name, string? value) in _options.EnvironmentVariables)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Writes one line to the worker; a worker that has gone away is not an error here (its exit code tells).</summary>
    private static async Task SendAsync(OsProcess process, string line)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task<bool> WaitForExitAsync(OsProcess process, TimeSpan timeout)
    {
        using var timeoutSource = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static void KillTree(OsProcess process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // exited (or was never started) meanwhile
        }
        catch (Win32Exception)
        {
            // exiting meanwhile
        }
        catch (AggregateException)
        {
            // a descendant could not be killed; the worker itself is gone
        }
    }

    /// <summary>A Failed record for a trial that produced none: zeros, the reason, and the worker's environment when it got as far as <c>started</c>.</summary>
    private static TrialRecord FailedRecord(TrialRequest request, DateTimeOffset startedAt, WorkerStarted? started, string reason) => new()
    {
        RunId = Guid.NewGuid().ToString("N"),
        Suite = request.Suite.Name,
        Configuration = request.Configuration,
        Seed = request.Seed,
        Budget = request.Budget.ToString(),
        Target = request.TargetValue is double value ? request.Suite.Target with { Value = value } : request.Suite.Target,
        Status = TrialStatus.Failed,
        CensoredAtSeconds = 0,
        Steps = 0,
        Samples = 0,
        Epochs = 0,
        TrainSeconds = 0,
        EvalSeconds = 0,
        SamplesPerSecond = 0,
        PeakRssBytes = 0,
        FailureReason = reason,
        StartedAt = startedAt,
        Curve = [],
        TechniqueTrace = [],
        Environment = started?.Environment ?? UnknownEnvironment(request),
    };

    /// <summary>What the host knows of the worker's environment when the worker never said: the same machine, torch details unknown.</summary>
    private static EnvironmentManifest UnknownEnvironment(TrialRequest request) => new EnvironmentManifest
    {
        CpuModel = "unknown",
        LogicalCores = Environment.ProcessorCount,
        TorchThreads = request.Host.Threads ?? 0,
        Os = RuntimeInformation.OSDescription,
        DotNet = RuntimeInformation.FrameworkDescription,
        TorchSharpVersion = "unknown",
        LibTorchVersion = "unknown",
        Device = request.Host.Device,
        MachineName = Environment.MachineName,
    }.WithAllocation();

    private static string FindDotNet()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        string? processPath = Environment.ProcessPath;
        if (processPath is not null && string.Equals(Path.GetFileName(processPath), executable, StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ holds the running runtime; <root>/dotnet is its host.
        DirectoryInfo? root = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar)).Parent?.Parent?.Parent;
        string? candidate = root is null ? null : Path.Combine(root.FullName, executable);
        return candidate is not null && File.Exists(candidate) ? candidate : executable;
    }

    /// <summary>The last lines of the worker's stderr (for the crash reason), each also passed to the log.</summary>
    private sealed class StderrTail(IProgress<string>? log)
    {
        private readonly Queue<string> _lines = new();

        public int Pid { get; set; }

        public void Add(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            log?.Report(string.Create(CultureInfo.InvariantCulture, $"worker {Pid}: {line}"));
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > StderrTailLines)
                {
                    _lines.Dequeue();
                }
            }
        }

        /// <summary>The last line that is a message rather than a stack frame, shortened.</summary>
        public string? LastMessage()
        {
            lock (_lines)
            {
                string? message = _lines.LastOrDefault(l => !char.IsWhiteSpace(l[0]));
                return message is null ? null : message.Length <= 300 ? message.Trim() : message[..300].Trim() + "...";
            }
        }
    }
}
