using System.Text.Json;
using System.Text.Json.Serialization;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;

namespace Tuner.Runner.Processes;

/// <summary>
/// The JSON-lines protocol between a host (<see cref="ProcessTrialRunner"/>) and a <c>tuner worker</c> process, which
/// runs one trial in its own process so a crash, a leak or a hang costs one trial, not the study.
/// <list type="bullet">
/// <item>Host to worker, stdin, first line: one <see cref="WorkerRequest"/>.</item>
/// <item>Worker to host, stdout: one <see cref="WorkerEvent"/> per line, told apart by its <c>event</c> field:
/// <c>started</c>, <c>progress</c>, <c>evaluation</c>, then exactly one of <c>finished</c> or <c>failed</c>.
/// Anything else the worker prints goes to stderr; a host skips stdout lines that are not events.</item>
/// <item>Host to worker, stdin, later lines: <see cref="HostCommand"/>s, <c>{"command":"stop"}</c> or
/// <c>{"command":"continue"}</c>. With <see cref="WorkerRequest.HostPrunes"/> the host answers every
/// <c>evaluation</c> with one of them and the worker waits for the answer, so a pruner stops a trial at the same
/// evaluation as in-process; without it a <c>stop</c> is honoured at the next evaluation. End of stdin means no more
/// commands (a pending or later evaluation is answered continue); a worker whose host has died ends at its next event,
/// which cannot be written.</item>
/// </list>
/// Names are snake_case and numbers invariant, as in <see cref="TrialRecordJson"/>; a <c>finished</c> event carries
/// the record in the same form as a results file line.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>The version a host writes into <see cref="WorkerRequest.Version"/>; a worker refuses any other.</summary>
    public const int Version = 1;

    /// <summary>
    /// <see cref="TrialRecordJson.Options"/> plus named floating-point literals (a progress snapshot before the first
    /// batch has a NaN loss) and event fields in any order.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(TrialRecordJson.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowOutOfOrderMetadataProperties = true,
    };

    public static string Serialize(WorkerRequest request) => JsonSerializer.Serialize(request, Options);

    public static string Serialize(WorkerEvent workerEvent) => JsonSerializer.Serialize(workerEvent, Options);

    public static string Serialize(HostCommand command) => JsonSerializer.Serialize(command, Options);

    /// <summary>Reads a request line; a malformed one throws <see cref="JsonException"/>.</summary>
    public static WorkerRequest DeserializeRequest(string line) =>
        JsonSerializer.Deserialize<WorkerRequest>(line, Options) ?? throw new JsonException("empty worker request");

    /// <summary>Reads a command line; null when the line is not a command (the caller ignores it).</summary>
    public static HostCommand? TryDeserializeCommand(string line) => TryDeserialize<HostCommand>(line);

    /// <summary>Reads an event line; null when the line is not an event (stray output, which the caller logs and skips).</summary>
    public static WorkerEvent? TryDeserializeEvent(string line) => TryDeserialize<WorkerEvent>(line);

    private static T? TryDeserialize<T>(string line)
        where T : class
    {
        if (!line.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(line, Options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null; // an unknown event name: the abstract base cannot be created
        }
    }
}

/// <summary>
/// One trial, as the host sends it to a worker: plain values only. The suite travels as its built-in name or file
/// path and the worker resolves it with <see cref="SuiteCatalog.Resolve(string)"/> (never a shell: the text is data).
/// </summary>
public sealed record WorkerRequest
{
    public int Version { get; init; } = WorkerProtocol.Version;

    /// <summary>A built-in suite name or the path of a suite JSON file.</summary>
    public required string Suite { get; init; }

    public required TrainingConfiguration Configuration { get; init; }

    /// <summary>The budget in its canonical text form (<see cref="Core.Budgets.Budget.ToString"/>), e.g. <c>50steps</c>.</summary>
    public required string Budget { get; init; }

    public required long Seed { get; init; }

    public string Device { get; init; } = "auto";

    public int? Threads { get; init; }

    public string? DataDirectory { get; init; }

    public double? TargetValue { get; init; }

    public double StopAtFraction { get; init; } = 1.0;

    public double SlowdownFactor { get; init; } = 1.0;

    public bool PairWithReference { get; init; }

    /// <summary>True when the host has a pruner: it answers every <c>evaluation</c> with stop or continue, and the worker waits for the answer.</summary>
    public bool HostPrunes { get; init; }

    /// <summary>
    /// The request for <paramref name="request"/>. A built-in suite (read from <see cref="SuiteCatalog.BuiltinDirectory"/>,
    /// or made in code) goes by name, a user's suite by its file path.
    /// </summary>
    public static WorkerRequest From(TrialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new WorkerRequest
        {
            Suite = SuiteReference(request.Suite),
            Configuration = request.Configuration,
            Budget = request.Budget.ToString(),
            Seed = request.Seed,
            Device = request.Device,
            Threads = request.Threads,
            DataDirectory = request.DataDirectory,
            TargetValue = request.TargetValue,
            StopAtFraction = request.StopAtFraction,
            SlowdownFactor = request.SlowdownFactor,
            PairWithReference = request.PairWithReference,
            HostPrunes = request.ShouldStop is not null,
        };
    }

    /// <summary>Resolves the suite and parses the budget; bad input throws a one-line <see cref="TunerInputException"/>.</summary>
    public TrialRequest ToTrialRequest()
    {
        if (Version != WorkerProtocol.Version)
        {
            throw new TunerInputException($"worker protocol version {Version} is not supported (this worker speaks version {WorkerProtocol.Version}): host and worker come from different builds");
        }

        if (string.IsNullOrWhiteSpace(Suite))
        {
            throw new TunerInputException("worker request without a suite");
        }

        return new TrialRequest
        {
            Suite = SuiteCatalog.Resolve(Suite),
            Configuration = Configuration ?? throw new TunerInputException("worker request without a configuration"),
            Budget = Core.Budgets.Budget.Parse(Budget),
            Seed = Seed,
            Device = Device,
            Threads = Threads,
            DataDirectory = DataDirectory,
            TargetValue = TargetValue,
            StopAtFraction = StopAtFraction,
            SlowdownFactor = SlowdownFactor,
            PairWithReference = PairWithReference,
        };
    }

    private static string SuiteReference(SuiteSpec suite)
    {
        if (suite.SourcePath is null)
        {
            return suite.Name;
        }

        string source = Path.GetFullPath(suite.SourcePath);
        string builtin = Path.GetFullPath(SuiteCatalog.BuiltinDirectory);
        bool isBuiltin = string.Equals(Path.GetDirectoryName(source), builtin.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
        return isBuiltin ? suite.Name : source;
    }
}

/// <summary>A line the host writes to a running worker: <c>stop</c> (prune the trial) or <c>continue</c> (an answer to an evaluation).</summary>
public sealed record HostCommand(string Command)
{
    public const string StopName = "stop";

    public const string ContinueName = "continue";

    public static HostCommand Stop { get; } = new(StopName);

    public static HostCommand Continue { get; } = new(ContinueName);
}

/// <summary>One line a worker writes on stdout; the <c>event</c> field names the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(WorkerStarted), "started")]
[JsonDerivedType(typeof(WorkerProgress), "progress")]
[JsonDerivedType(typeof(WorkerEvaluation), "evaluation")]
[JsonDerivedType(typeof(WorkerFinished), "finished")]
[JsonDerivedType(typeof(WorkerFailed), "failed")]
public abstract record WorkerEvent;

/// <summary>The worker has read the request and prepared the trial (libtorch loaded, data loaded, device chosen); training starts next.</summary>
public sealed record WorkerStarted(int Pid, EnvironmentManifest? Environment) : WorkerEvent;

/// <summary>A progress snapshot: at most every 250 ms while training, and after each evaluation (the trainer's cadence).</summary>
public sealed record WorkerProgress(long Step, long Samples, double BudgetFraction, double ChargedSeconds, double TrainLoss, double? LastMetric, double? BestMetric) : WorkerEvent
{
    public static WorkerProgress From(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new(progress.Step, progress.Samples, progress.BudgetFraction, progress.ChargedSeconds, progress.TrainLoss, progress.LastMetric, progress.BestMetric);
    }

    public TrainingProgress ToTrainingProgress() => new(Step, Samples, BudgetFraction, ChargedSeconds, TrainLoss, LastMetric, BestMetric);
}

/// <summary>An evaluation that did not reach the target, for the host's pruner (the trainer asks its pruner after exactly these).</summary>
public sealed record WorkerEvaluation(EvaluationPoint Point) : WorkerEvent;

/// <summary>The trial ran to an outcome (any status, a trial's own failure included); the worker exits 0 next.</summary>
public sealed record WorkerFinished(TrialRecord Record) : WorkerEvent;

/// <summary>The trial could not run (bad request, unknown suite, data unavailable, an error outside training); the worker exits 0 next.</summary>
public sealed record WorkerFailed(string Reason) : WorkerEvent;
