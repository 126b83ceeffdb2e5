using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Suites.Specs;

namespace Tuner.Runner;

/// <summary>One trial to run: a suite, a configuration, a budget, a seed and where to run it.</summary>
public sealed record TrialRequest
{
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

    /// <summary>A search's pruner, asked after each evaluation; see <c>TrainingRequest.ShouldStop</c>.</summary>
    public Func<IReadOnlyList<Tuner.Core.Trials.EvaluationPoint>, bool>? ShouldStop { get; init; }

    /// <summary>Injected slowdown (testing regression detection); see <c>TrainingRequest.SlowdownFactor</c>.</summary>
    public double SlowdownFactor { get; init; } = 1.0;

    /// <summary>Pairs the throughput with the reference workload timed at every window boundary (nightly); see <c>TrainingRequest.ReferenceProbe</c>.</summary>
    public bool PairWithReference { get; init; }

    /// <summary>The most resident memory the trial's process may reach (bytes); see <c>TrainingRequest.MemoryLimitBytes</c>. Null: no limit.</summary>
    public long? MemoryLimitBytes { get; init; }
}
