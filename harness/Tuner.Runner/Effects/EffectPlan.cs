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

    /// <summary>The seeds every configuration runs on (the minimum).</summary>
    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>
    /// At most this many seeds per configuration: after <see cref="Seeds"/>, one more seed at a time (after the last one)
    /// runs the baseline and every technique whose speed-up interval is still wider than +-<see cref="Precision"/>
    /// (high / low above (1 + p) / (1 - p)), until none is or the maximum is reached. The default, 0, adds none.
    /// </summary>
    public int MaxSeeds { get; init; }

    /// <summary>The half-width (relative) a speed-up interval must reach for its technique to need no more seeds.</summary>
    public double Precision { get; init; } = 0.15;

    /// <summary>The techniques, each run alone on top of the baseline recipe.</summary>
    public required IReadOnlyList<TechniqueSpec> Techniques { get; init; }

    /// <summary>The label of the baseline row.</summary>
    /// <summary>Where and how every trial runs (device, threads, data cache).</summary>
    public TrialHost Host { get; init; } = TrialHost.Default;

    public const string BaselineLabel = "baseline";

    /// <summary>
    /// Also measure every technique that acts over the schedule horizon (<see cref="TechniqueDescriptor.ActsOverHorizon"/>)
    /// with its horizon at <see cref="HorizonFactor"/> x the baseline's samples-to-target on the first seed, so a
    /// schedule is judged where the target is reached, not over a budget the run never uses (default true).
    /// </summary>
    public bool MeasureAtHorizon { get; init; } = true;

    /// <summary>The horizon of those extra rows, as a multiple of the first baseline run's samples-to-target.</summary>
    public double HorizonFactor { get; init; } = 1.25;

    /// <summary>The label of a technique measured at a horizon of <paramref name="samples"/> samples.</summary>
    public static string HorizonLabel(TechniqueSpec technique, long samples) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{technique}@horizon={samples}samples");

    /// <summary>
    /// Every (label, configuration) to run: the baseline first, then each technique alone that applies to the suite,
    /// then (with <paramref name="horizonSamples"/>) each horizon-dependent one again at that horizon.
    /// </summary>
    public IReadOnlyList<(string Label, TrainingConfiguration Configuration)> Configurations(long? horizonSamples = null)
    {
        TechniqueSpec[] applicable = [.. Techniques.Where(t => Reason(t) is null)];
        var all = new List<(string, TrainingConfiguration)> { (BaselineLabel, Suite.Baseline) };
        all.AddRange(applicable.Select(t => (t.ToString(), Suite.Baseline with { Techniques = [t] })));
        if (horizonSamples is long h)
        {
            all.AddRange(applicable.Where(t => TechniqueRegistry.Find(t.Name)?.ActsOverHorizon == true)
                .Select(t => (HorizonLabel(t, h), Suite.Baseline with { Techniques = [t], HorizonSamples = h, HorizonFraction = 1.0 })));
        }

        return all;
    }

    /// <summary>The techniques that do not apply to the suite (not run; "not applicable" in the table), with the reason.</summary>
    public IReadOnlyList<(TechniqueSpec Technique, string Reason)> NotApplicable() =>
        [.. Techniques.Select(t => (t, Reason(t))).Where(x => x.Item2 is not null).Select(x => (x.t, x.Item2!))];

    private string? Reason(TechniqueSpec technique) => TechniqueRegistry.NotApplicable(technique.Name, Suite.Facts, Suite.Name);
}
