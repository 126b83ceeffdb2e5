using System.Globalization;
using System.Text;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using Tuner.Training.Runtime;

namespace Tuner.Runner.Processes;

/// <summary>
/// The worker's side of <see cref="WorkerProtocol"/> (the process runner's child, <c>tuner worker</c> with stdin
/// redirected), next to the host's side (<see cref="ProcessTrialRunner"/>): reads one <see cref="WorkerRequest"/>,
/// prepares and warms up the trial before it reports <c>started</c>, runs it in this process with
/// <see cref="InProcessTrialRunner"/>, writes progress, evaluations and exactly one of <c>finished</c> or <c>failed</c>
/// on stdout, and takes the host's stop and continue commands from stdin.
/// </summary>
public static class WorkerHost
{
    /// <summary>The fault-injection variable (tests only): <c>abort</c>, <c>exit</c> after the first evaluation, <c>hang</c> after starting.</summary>
    public const string FaultVariable = "TUNER_WORKER_FAULT";

    /// <summary>Serves one trial: the request from <paramref name="stdin"/>, events to <paramref name="stdout"/>, log lines to <paramref name="error"/>.</summary>
    public static async Task RunAsync(TextReader stdin, Stream stdout, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(error);
        using var events = new EventWriter(new StreamWriter(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = false });
        string? line = await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(line))
        {
            events.Write(new WorkerFailed("no request on stdin: tuner worker reads one JSON request line (it is started by the process runner)"));
            return;
        }

        string? fault = Environment.GetEnvironmentVariable(FaultVariable);
        var commands = new HostCommands(stdin, error);
        TrialRequest request;
        using var runner = new InProcessTrialRunner(log: new StderrLines(error));
        try
        {
            WorkerRequest workerRequest = WorkerProtocol.DeserializeRequest(line);
            request = workerRequest.Trial;
            await runner.PrepareAsync(request, cancellationToken).ConfigureAwait(false);

            // The runner's warm-up (the same protocol as in-process trials), before "started": the host does not time it either.
            await runner.WarmUpAsync(request, cancellationToken).ConfigureAwait(false);
            events.Write(new WorkerStarted(Environment.ProcessId, TorchRuntime.Describe(TorchRuntime.ResolveDevice(request.Host.Device))));
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
            return;
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
                await error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return;
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
        return ex is TunerInputException or Data.DataFormatException or Data.DataUnavailableException
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
