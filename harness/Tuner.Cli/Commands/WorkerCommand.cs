using System.ComponentModel;
using System.Globalization;
using System.Text;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Trials;
using Tuner.Runner;
using Tuner.Runner.Processes;
using Tuner.Training.Engine;
using Tuner.Training.Runtime;

namespace Tuner.Cli.Commands;

/// <summary>
/// Settings of <c>tuner worker</c>. With no options (the default) the worker runs one trial from a
/// <see cref="WorkerRequest"/> on stdin; a claiming mode (<c>--study ID --storage URL</c>, taking trials from a study's
/// store) is planned and will add its options here without changing the stdin mode.
/// </summary>
public sealed class WorkerSettings : CommandSettings
{
}

/// <summary>
/// <c>tuner worker</c> (internal, hidden from help): runs one trial from a JSON request on stdin and reports on stdout in
/// <see cref="WorkerProtocol"/> events; used by <see cref="ProcessTrialRunner"/>. Stdout carries protocol lines only:
/// everything else (data fetch messages, anything printed by accident) goes to stderr. Exits 0 after <c>finished</c> or
/// <c>failed</c>. For fault-injection tests, <c>TUNER_WORKER_FAULT</c> = <c>abort</c> (Environment.FailFast after the
/// first evaluation), <c>exit</c> (exit code 3 after the first evaluation) or <c>hang</c> (sleep forever after
/// <c>started</c>).
/// </summary>
[Description("Internal: runs one trial from a JSON request on stdin and writes JSON-lines events on stdout; used by the process runner.")]
public sealed class WorkerCommand(CliContext cli) : AsyncCommand<WorkerSettings>
{
    /// <summary>The fault-injection variable (tests only).</summary>
    public const string FaultVariable = "TUNER_WORKER_FAULT";

    public override async Task<int> ExecuteAsync(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var events = new EventWriter(new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = false });
        Console.SetOut(cli.Error); // stdout belongs to the protocol from here on
        using var stdin = new StreamReader(Console.OpenStandardInput(), utf8);

        string? line = await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(line))
        {
            events.Write(new WorkerFailed("no request on stdin: tuner worker reads one JSON request line (it is started by the process runner)"));
            return ExitCodes.Ok;
        }

        string? fault = Environment.GetEnvironmentVariable(FaultVariable);
        var commands = new HostCommands(stdin, cli.Error);
        TrialRequest request;
        using var runner = new InProcessTrialRunner(log: new StderrLines(cli.Error));
        try
        {
            WorkerRequest workerRequest = WorkerProtocol.DeserializeRequest(line);
            request = workerRequest.ToTrialRequest();
            await runner.PrepareAsync(request, cancellationToken).ConfigureAwait(false);

            // Warm-up, not reported: a fresh process would otherwise charge JIT compilation to the trial's first batches,
            // and process-isolated times would not be comparable with in-process ones (BenchmarkDotNet warms up too).
            await runner.RunAsync(request with { Budget = Core.Budgets.Budget.Steps(20), StopAtFraction = 1.0, ShouldStop = null, TargetValue = 1.0 }, null, cancellationToken).ConfigureAwait(false);
            events.Write(new WorkerStarted(Environment.ProcessId, TorchRuntime.Describe(TorchRuntime.ResolveDevice(request.Device))));
            if (fault == "hang")
            {
                Thread.Sleep(Timeout.Infinite);
            }

            commands.Start();
            bool hostPrunes = workerRequest.HostPrunes;
            int evaluations = 0;
            request = request with
            {
                ShouldStop = curve =>
                {
                    events.Write(new WorkerEvaluation(curve[^1]));
                    if (++evaluations == 1)
                    {
                        InjectFault(fault);
                    }

                    return hostPrunes ? commands.WaitForVerdict() : commands.StopRequested;
                },
            };
            TrialRecord record = await runner.RunAsync(request, new EventProgress(events), cancellationToken).ConfigureAwait(false);
            events.Write(new WorkerFinished(record));
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever stops the trial from running is reported to the host as its failure; the host records it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            events.Write(new WorkerFailed(Reason(ex)));
            if (Environment.GetEnvironmentVariable("TUNER_DEBUG") == "1")
            {
                await cli.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
    }

    private static void InjectFault(string? fault)
    {
        switch (fault)
        {
            case "abort":
                Environment.FailFast($"{FaultVariable}=abort: injected abort after the first evaluation");
                break;
            case "exit":
                Environment.Exit(3);
                break;
        }
    }

    /// <summary>One line: input errors as they are, anything else with its exception type.</summary>
    private static string Reason(Exception ex)
    {
        string message = string.Join(" ", ex.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return ex is Core.Errors.TunerInputException or Data.DataFormatException or Data.DataUnavailableException
            ? message
            : $"{ex.GetType().Name}: {message}";
    }

    /// <summary>Writes events as single lines, flushed at once; callable from the training thread and the main flow.</summary>
    private sealed class EventWriter(StreamWriter output) : IDisposable
    {
        private readonly object _gate = new();

        public void Write(WorkerEvent workerEvent)
        {
            string line = WorkerProtocol.Serialize(workerEvent);
            lock (_gate)
            {
                output.Write(line);
                output.Write('\n');
                output.Flush();
            }
        }

        public void Dispose() => output.Dispose();
    }

    /// <summary>Forwards the trainer's progress (already at most every 250 ms, plus after each evaluation) as events.</summary>
    private sealed class EventProgress(EventWriter events) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => events.Write(WorkerProgress.From(value));
    }

    /// <summary>Data-fetch and other log lines: stderr, never stdout.</summary>
    private sealed class StderrLines(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.WriteLine(value);
    }

    /// <summary>
    /// Reads the host's commands on a background thread: <c>stop</c> sets a flag (and answers a pending evaluation),
    /// <c>continue</c> answers one. End of stdin means no more commands: the trial runs on (a host that has died is
    /// noticed at the next event written, which fails on the closed pipe and ends the worker).
    /// </summary>
    private sealed class HostCommands(TextReader input, TextWriter error)
    {
        private readonly Queue<bool> _verdicts = new();
        private volatile bool _stop;
        private bool _ended;

        public bool StopRequested => _stop;

        public void Start()
        {
            var thread = new Thread(Read) { IsBackground = true, Name = "tuner-worker-stdin" };
            thread.Start();
        }

        /// <summary>Blocks until the host answers the evaluation just reported; true: stop.</summary>
        public bool WaitForVerdict()
        {
            lock (_verdicts)
            {
                while (_verdicts.Count == 0 && !_ended)
                {
                    Monitor.Wait(_verdicts);
                }

                return (_verdicts.Count > 0 && _verdicts.Dequeue()) || _stop;
            }
        }

        private void Read()
        {
            try
            {
                while (input.ReadLine() is string line)
                {
                    switch (WorkerProtocol.TryDeserializeCommand(line)?.Command)
                    {
                        case HostCommand.StopName:
                            _stop = true;
                            Post(true);
                            break;
                        case HostCommand.ContinueName:
                            Post(false);
                            break;
                        default:
                            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tuner worker: ignoring unknown command line: {line}"));
                            break;
                    }
                }
            }
            catch (IOException)
            {
                // stdin broke: the same as its end
            }

            lock (_verdicts)
            {
                _ended = true;
                Monitor.PulseAll(_verdicts);
            }
        }

        private void Post(bool stop)
        {
            lock (_verdicts)
            {
                _verdicts.Enqueue(stop);
                Monitor.PulseAll(_verdicts);
            }
        }
    }
}
