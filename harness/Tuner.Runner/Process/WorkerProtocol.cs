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
    public const int Version = 2;

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

    /// <summary>
    /// Reads a request line: its version first (a host of another build gets a one-line <see cref="TunerInputException"/>,
    /// not a field error), then the trial, whose suite is resolved on the way (an unknown suite or a workload that cannot
    /// be loaded is a one-line <see cref="TunerInputException"/>); a malformed line throws <see cref="JsonException"/>.
    /// </summary>
    public static WorkerRequest DeserializeRequest(string line)
    {
        using (JsonDocument document = JsonDocument.Parse(line))
        {
            int version = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("version", out JsonElement v) && v.TryGetInt32(out int n) ? n : 0;
            if (version != Version)
            {
                throw new TunerInputException($"worker protocol version {version} is not supported (this worker speaks version {Version}): host and worker come from different builds");
            }
        }

        return JsonSerializer.Deserialize<WorkerRequest>(line, Options) ?? throw new JsonException("empty worker request");
    }

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
/// One trial as the host sends it to a worker: the <see cref="TrialRequest"/> itself (suite as its reference, budget
/// typed; see <see cref="TrialRequest"/>), and whether the host prunes.
/// </summary>
public sealed record WorkerRequest
{
    public int Version { get; init; } = WorkerProtocol.Version;

    public required TrialRequest Trial { get; init; }

    /// <summary>True when the host has a pruner: it answers every <c>evaluation</c> with stop or continue, and the worker waits for the answer.</summary>
    public bool HostPrunes { get; init; }

    /// <summary>The request for <paramref name="request"/>.</summary>
    public static WorkerRequest From(TrialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new WorkerRequest { Trial = request, HostPrunes = request.ShouldStop is not null };
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
