using System.Text.Json.Serialization;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Suites.Specs;

namespace Tuner.Runner;

/// <summary>
/// One trial to run, typed end to end: a suite (a built-in one, a described one or a workload from an assembly), a
/// configuration, a budget, a target, a seed and the host settings. Every command builds one and hands it to a runner;
/// the process runner sends it to its worker as it is (<see cref="Processes.WorkerRequest"/>, serialised with
/// converters: the suite as its reference, the budget as amount and unit), so nothing is turned into text and parsed
/// back on the way. Only the pruner stays behind (a worker asks its host instead).
/// </summary>
public sealed record TrialRequest
{
    [JsonConverter(typeof(SuiteReferenceJsonConverter))]
    public required SuiteSpec Suite { get; init; }

    public required TrainingConfiguration Configuration { get; init; }

    public required Budget Budget { get; init; }

    public required long Seed { get; init; }

    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Intra-op threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Data cache root; null uses <c>DataStore.DefaultRoot</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Overrides the suite's target (null keeps it).</summary>
    public double? TargetValue { get; init; }

    /// <summary>Stop at this fraction of the budget (a search's fidelity or time cap); see <c>TrainingRequest.StopAtFraction</c>.</summary>
    public double StopAtFraction { get; init; } = 1.0;

    /// <summary>A search's pruner, asked after each evaluation; see <c>TrainingRequest.ShouldStop</c>. Not sent to a worker: it asks its host (<see cref="Processes.WorkerRequest.HostPrunes"/>).</summary>
    [JsonIgnore]
    public Func<IReadOnlyList<Tuner.Core.Trials.EvaluationPoint>, bool>? ShouldStop { get; init; }

    /// <summary>Injected slowdown (testing regression detection); see <c>TrainingRequest.SlowdownFactor</c>.</summary>
    public double SlowdownFactor { get; init; } = 1.0;

    /// <summary>Pairs the throughput with the reference workload timed at every window boundary (nightly); see <c>TrainingRequest.ReferenceProbe</c>.</summary>
    public bool PairWithReference { get; init; }

    /// <summary>The most resident memory the trial's process may reach (bytes); see <c>TrainingRequest.MemoryLimitBytes</c>. Null: no limit.</summary>
    public long? MemoryLimitBytes { get; init; }
}
