using Tuner.Core.Errors;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.CostFrugal;
using Tuner.Search.Tuners.Grid;
using Tuner.Search.Tuners.MultiFidelity;
using Tuner.Search.Tuners.RandomSearch;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Runner.Search;

/// <summary>
/// Builds a tuner by name for a study. SMAC and CFO start from the suite's baseline recipe when the space contains it
/// (a known reference point, and a first time-to-target for capping); multi-fidelity tuners use eta 3 and a lowest
/// fidelity of 1/9 of the budget.
/// </summary>
public static class TunerFactory
{
    public static readonly IReadOnlyList<string> Names = ["smac", "cfo", "random", "grid", "sh", "hyperband", "asha"];

    public static void Validate(string name)
    {
        if (!Names.Contains(name))
        {
            throw new TunerInputException($"unknown tuner '{name}': use one of {string.Join(", ", Names)}");
        }
    }

    public static ITuner Create(string name, StudySession session, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        Validate(name);
        return name switch
        {
            "smac" => new SmacTuner(session.Objective, start: session.Space.Encode(options.Suite.Baseline)),
            "cfo" => new CostFrugalTuner(session.Objective, session.Space.Encode(options.Suite.Baseline)),
            "random" => new RandomTuner(),
            "grid" => new GridTuner(options.GridPointsPerRange, options.GridCap),
            "sh" => new SuccessiveHalvingTuner(session.Objective),
            "hyperband" => new HyperbandTuner(session.Objective),
            "asha" => new AshaTuner(session.Objective),
            _ => throw new TunerInputException($"unknown tuner '{name}'"),
        };
    }
}
