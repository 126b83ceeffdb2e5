using Tuner.Core.Configuration;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.CostFrugal;
using Tuner.Search.Tuners.Grid;
using Tuner.Search.Tuners.MultiFidelity;
using Tuner.Search.Tuners.RandomSearch;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Simulation;

/// <summary>
/// Builds the product's tuners by name exactly as the runner's TunerFactory does (which lives on the TorchSharp side
/// of the solution): SMAC and CFO start from the suite's baseline recipe encoded in the space (null when it lies
/// outside), the grid uses 3 points per range and a cap of 1000, and the multi-fidelity tuners eta 3 from 1/9 of the
/// budget. Keep the two in step.
/// </summary>
public static class SimulatedTuners
{
    /// <summary>Every tuner, in the order of the runner's TunerFactory.</summary>
    public static readonly IReadOnlyList<string> Names = ["smac", "cfo", "random", "grid", "sh", "hyperband", "asha"];

    /// <summary>A new tuner <paramref name="name"/> for a study of <paramref name="space"/> scored by <paramref name="objective"/>.</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static ITuner Create(string name, SearchSpace space, CensoredObjective objective, TrainingConfiguration baseline)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(baseline);
        return name switch
        {
            "smac" => new SmacTuner(objective, start: space.Encode(baseline)),
            "cfo" => new CostFrugalTuner(objective, space.Encode(baseline)),
            "random" => new RandomTuner(),
            "grid" => new GridTuner(),
            "sh" => new SuccessiveHalvingTuner(objective),
            "hyperband" => new HyperbandTuner(objective),
            "asha" => new AshaTuner(objective),
            _ => throw new ArgumentException($"unknown tuner '{name}': use one of {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
