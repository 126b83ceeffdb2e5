using System.Globalization;
using Tuner.Core.Configuration;

namespace Tuner.Search.Space;

/// <summary>
/// The configurations a study may try: typed base parameters (keys of <c>--set</c>: optimizer, lr, batch_size,
/// momentum, weight_decay), techniques that may be switched on with their options, the declared conflicts between
/// techniques, and an optional cap on how many techniques are on at once. Everything maps to a unit cube of
/// <see cref="Dimensions"/> coordinates: one per base parameter, then per technique one on/off coordinate (when
/// optional; on when >= 0.5) followed by one per searched option.
/// <para>Conflicting combinations are never produced: <see cref="Decode"/> walks the techniques in space order and
/// switches off one that conflicts with a technique already on or would exceed <see cref="MaxTechniques"/>; the
/// returned vector is canonical (choices at their bin centre, toggles at 0.25/0.75, options of an off technique at
/// 0.5), so a configuration has exactly one vector.</para>
/// </summary>
public sealed class SearchSpace
{
    private readonly HashSet<(string, string)> _conflicts;

    public SearchSpace(
        TrainingConfiguration baseline,
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<TechniqueDimension> techniques,
        IEnumerable<(string A, string B)>? conflicts = null,
        int? maxTechniques = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(techniques);
        Baseline = baseline with { Techniques = [] };
        Parameters = parameters;
        Techniques = techniques;
        MaxTechniques = maxTechniques;
        _conflicts = [];
        foreach ((string a, string b) in conflicts ?? [])
        {
            _conflicts.Add((a, b));
            _conflicts.Add((b, a));
        }

        string? duplicate = parameters.Select(p => p.Name).Concat(techniques.Select(t => t.Name))
            .GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"'{duplicate}' appears twice in the search space", nameof(techniques));
        }

        var always = techniques.Where(t => !t.Optional).Select(t => t.Name).ToList();
        foreach (string a in always)
        {
            string? clash = always.FirstOrDefault(b => a != b && Conflicts(a, b));
            if (clash is not null)
            {
                throw new ArgumentException($"techniques '{a}' and '{clash}' are both always on but conflict", nameof(techniques));
            }
        }

        if (maxTechniques is int max && (max < 0 || max < always.Count))
        {
            throw new ArgumentException($"max_techniques {max} is below the {always.Count} techniques that are always on", nameof(maxTechniques));
        }

        Dimensions = parameters.Count + techniques.Sum(t => (t.Optional ? 1 : 0) + t.Options.Count);
    }

    /// <summary>Everything not in the space comes from here (the suite's baseline recipe, without techniques).</summary>
    public TrainingConfiguration Baseline { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<TechniqueDimension> Techniques { get; }

    public int? MaxTechniques { get; }

    public int Dimensions { get; }

    public bool Conflicts(string a, string b) => _conflicts.Contains((a, b));

    /// <summary>The configuration at <paramref name="unit"/> (length <see cref="Dimensions"/>), with conflicts repaired and a canonical vector.</summary>
    public Candidate Decode(IReadOnlyList<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Count != Dimensions)
        {
            throw new ArgumentException($"expected {Dimensions} coordinates, got {unit.Count}", nameof(unit));
        }

        double[] canonical = new double[Dimensions];
        int d = 0;
        var assignments = new List<string>(Parameters.Count);
        foreach (Parameter parameter in Parameters)
        {
            string value = parameter.Decode(unit[d]);
            assignments.Add($"{parameter.Name}={value}");
            canonical[d++] = parameter.Encode(value);
        }

        TrainingConfiguration configuration = ConfigurationOverrides.Apply(Baseline, assignments);
        var on = new List<TechniqueSpec>();
        foreach (TechniqueDimension technique in Techniques)
        {
            bool wanted = true;
            int toggle = -1;
            if (technique.Optional)
            {
                toggle = d;
                wanted = unit[d++] >= 0.5;
            }

            bool enabled = wanted && (!technique.Optional || Allowed(technique.Name, on));
            if (toggle >= 0)
            {
                canonical[toggle] = enabled ? 0.75 : 0.25;
            }

            var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in technique.FixedOptions)
            {
                options[key] = value;
            }

            foreach (Parameter option in technique.Options)
            {
                if (enabled)
                {
                    string value = option.Decode(unit[d]);
                    options[option.Name] = value;
                    canonical[d] = option.Encode(value);
                }
                else
                {
                    canonical[d] = 0.5;
                }

                d++;
            }

            if (enabled)
            {
                on.Add(new TechniqueSpec(technique.Name, options));
            }
        }

        return new Candidate(canonical, configuration with { Techniques = on });
    }

    /// <summary>A uniformly random point (then repaired).</summary>
    public Candidate Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double[] unit = new double[Dimensions];
        for (int i = 0; i < unit.Length; i++)
        {
            unit[i] = random.NextDouble();
        }

        return Decode(unit);
    }

    /// <summary>
    /// The unit vector of <paramref name="configuration"/>, or null when it lies outside the space (a value out of a
    /// range or choice, a technique the space does not have, different fixed options).
    /// </summary>
    public Candidate? Encode(TrainingConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        double[] unit = new double[Dimensions];
        int d = 0;
        try
        {
            foreach (Parameter parameter in Parameters)
            {
                unit[d++] = parameter.Encode(ValueOf(configuration, parameter.Name));
            }

            var byName = configuration.Techniques.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach (TechniqueDimension technique in Techniques)
            {
                bool present = byName.Remove(technique.Name, out TechniqueSpec? spec);
                if (!present && !technique.Optional)
                {
                    return null;
                }

                if (technique.Optional)
                {
                    unit[d++] = present ? 0.75 : 0.25;
                }

                foreach (Parameter option in technique.Options)
                {
                    unit[d++] = present && spec!.Options.TryGetValue(option.Name, out string? value) ? option.Encode(value) : 0.5;
                }
            }

            if (byName.Count > 0)
            {
                return null;
            }
        }
        catch (ArgumentException)
        {
            return null;
        }

        Candidate candidate = Decode(unit);
        return candidate.Configuration.Equals(configuration with { EvalEverySamples = candidate.Configuration.EvalEverySamples }) ? candidate : null;
    }

    /// <summary>
    /// Every configuration of the grid (each choice; <paramref name="pointsPerRange"/> values of each range), without
    /// conflicting or over-cap combinations and without duplicates, in a fixed order. Lazy: take what you need.
    /// </summary>
    public IEnumerable<Candidate> Grid(int pointsPerRange = 3)
    {
        var axes = new List<double[]>();
        foreach (Parameter parameter in Parameters)
        {
            axes.Add([.. parameter.GridValues(pointsPerRange).Select(parameter.Encode)]);
        }

        foreach (TechniqueDimension technique in Techniques)
        {
            if (technique.Optional)
            {
                axes.Add([0.25, 0.75]);
            }

            foreach (Parameter option in technique.Options)
            {
                axes.Add([.. option.GridValues(pointsPerRange).Select(option.Encode)]);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        int[] index = new int[axes.Count];
        while (true)
        {
            double[] unit = [.. index.Select((i, axis) => axes[axis][i])];
            if (IsFeasible(unit))
            {
                Candidate candidate = Decode(unit);
                if (seen.Add(candidate.Key))
                {
                    yield return candidate;
                }
            }

            int k = axes.Count - 1;
            while (k >= 0 && ++index[k] == axes[k].Length)
            {
                index[k] = 0;
                k--;
            }

            if (k < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Whether every technique the vector switches on stays on (no conflict, not over the cap).</summary>
    public bool IsFeasible(IReadOnlyList<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        int d = Parameters.Count;
        var on = new List<TechniqueSpec>();
        foreach (TechniqueDimension technique in Techniques)
        {
            bool wanted = !technique.Optional || unit[d++] >= 0.5;
            if (wanted)
            {
                if (technique.Optional && !Allowed(technique.Name, on))
                {
                    return false;
                }

                on.Add(TechniqueSpec.Of(technique.Name));
            }

            d += technique.Options.Count;
        }

        return true;
    }

    private bool Allowed(string name, List<TechniqueSpec> on) =>
        (MaxTechniques is not int max || on.Count < max) && on.TrueForAll(t => !Conflicts(t.Name, name));

    private static string ValueOf(TrainingConfiguration c, string key) => key switch
    {
        "optimizer" => c.Optimizer,
        "lr" or "learning_rate" => c.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        "batch_size" => c.BatchSize.ToString(CultureInfo.InvariantCulture),
        "momentum" => c.Momentum.ToString("R", CultureInfo.InvariantCulture),
        "weight_decay" => c.WeightDecay.ToString("R", CultureInfo.InvariantCulture),
        "eval_samples" => c.EvalEverySamples.ToString(CultureInfo.InvariantCulture),
        "horizon" => c.HorizonText,
        _ => throw new ArgumentException($"unknown parameter '{key}'", nameof(key)),
    };
}
