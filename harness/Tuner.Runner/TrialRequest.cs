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

    /// <summary>Where and how it runs: device, threads, data cache, memory limit.</summary>
    public TrialHost Host { get; init; } = TrialHost.Default;

    /// <summary>Overrides the suite's target (null keeps it).</summary>
    public double? TargetValue { get; init; }

    /// <summary>Stop at this fraction of the budget (a search's fidelity or time cap); see <c>TrainingRequest.StopAtFraction</c>.</summary>
    public double StopAtFraction { get; init; } = 1.0;

    /// <summary>A search's pruner, asked after each evaluation; see <c>TrainingRequest.ShouldStop</c>. Not sent to a worker: it asks its host (<see cref="Processes.WorkerRequest.HostPrunes"/>).</summary>
    [JsonIgnore]
    public Func<IReadOnlyList<Tuner.Core.Trials.EvaluationPoint>, bool>? ShouldStop { get; init; }

    /// <summary>The suite's baseline recipe for <paramref name="budget"/> on <paramref name="host"/>, seed 0: what commands prepare (validate, load data, check the model) before anything is timed.</summary>
    public static TrialRequest Baseline(SuiteSpec suite, Budget budget, TrialHost host)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return new TrialRequest { Suite = suite, Configuration = suite.Baseline, Budget = budget, Seed = 0, Host = host };
    }

    /// <summary>Pairs the throughput with the reference workload timed at every window boundary (nightly); see <c>TrainingRequest.ReferenceProbe</c>.</summary>
    public bool PairWithReference { get; init; }
}
