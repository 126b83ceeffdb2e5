using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Suites.Specs;
using Tuner.Techniques;

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

    /// <summary>Every (label, configuration) to run: the baseline first, then each technique alone that applies to the suite.</summary>
    public IReadOnlyList<(string Label, TrainingConfiguration Configuration)> Configurations() =>
        [(BaselineLabel, Suite.Baseline), .. Techniques.Where(t => Reason(t) is null).Select(t => (t.ToString(), Suite.Baseline with { Techniques = [t] }))];

    /// <summary>The techniques that do not apply to the suite (not run; "not applicable" in the table), with the reason.</summary>
    public IReadOnlyList<(TechniqueSpec Technique, string Reason)> NotApplicable() =>
        [.. Techniques.Select(t => (t, Reason(t))).Where(x => x.Item2 is not null).Select(x => (x.t, x.Item2!))];

    private string? Reason(TechniqueSpec technique) => TechniqueRegistry.NotApplicable(technique.Name, Suite.Facts, Suite.Name);
}
