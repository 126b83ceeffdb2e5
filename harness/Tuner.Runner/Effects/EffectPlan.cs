using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Suites.Specs;

namespace Tuner.Runner.Effects;

/// <summary>Measure each technique alone against the suite's baseline recipe, on the same seeds.</summary>
public sealed record EffectPlan
{
    public required SuiteSpec Suite { get; init; }

    public required Budget Budget { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>The techniques, each run alone on top of the baseline recipe.</summary>
    public required IReadOnlyList<TechniqueSpec> Techniques { get; init; }

    public int? Threads { get; init; }

    public string Device { get; init; } = "auto";

    public string? DataDirectory { get; init; }

    /// <summary>The label of the baseline row.</summary>
    public const string BaselineLabel = "baseline";

    /// <summary>Every (label, configuration) to run: the baseline first, then each technique alone.</summary>
    public IReadOnlyList<(string Label, TrainingConfiguration Configuration)> Configurations() =>
        [(BaselineLabel, Suite.Baseline), .. Techniques.Select(t => (t.ToString(), Suite.Baseline with { Techniques = [t] }))];
}
