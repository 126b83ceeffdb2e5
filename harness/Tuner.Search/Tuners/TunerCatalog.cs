using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners.CostFrugal;
using Tuner.Search.Tuners.Grid;
using Tuner.Search.Tuners.MultiFidelity;
using Tuner.Search.Tuners.RandomSearch;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Tuners;

/// <summary>
/// The tuners by name, built one way for the product and the search-efficiency simulation: SMAC and CFO start from
/// the suite's baseline recipe when the space contains it (a known reference point, and a first time-to-target for
/// capping); the grid uses <c>gridPoints</c> values per range up to <c>gridCap</c> configurations; the multi-fidelity
/// tuners use eta 3 from 1/9 of the budget.
/// </summary>
public static class TunerCatalog
{
    public static readonly IReadOnlyList<string> Names = ["smac", "cfo", "random", "grid", "sh", "hyperband", "asha"];

    /// <summary>One-line input error for an unknown name.</summary>
    public static void Validate(string name)
    {
        if (!Names.Contains(name))
        {
            throw new TunerInputException($"unknown tuner '{name}': use one of {string.Join(", ", Names)}");
        }
    }

    public static ITuner Create(string name, SearchSpace space, CensoredObjective objective, TrainingConfiguration baseline, int gridPoints = 3, int gridCap = 1000)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(baseline);
        Validate(name);
        return name switch
        {
            "smac" => new SmacTuner(objective, start: space.Encode(baseline)),
            "cfo" => new CostFrugalTuner(objective, space.Encode(baseline)),
            "random" => new RandomTuner(),
            "grid" => new GridTuner(gridPoints, gridCap),
            "sh" => new SuccessiveHalvingTuner(objective),
            "hyperband" => new HyperbandTuner(objective),
            _ => new AshaTuner(objective),
        };
    }
}
