using Tuner.Core.Errors;

namespace Tuner.Techniques.Optimization.StepSchedule;

/// <summary>Options of <see cref="StepScheduleTechnique"/>: two milestones as budget fractions.</summary>
public sealed record StepScheduleOptions
{
    /// <summary>First milestone, (0, 1]; default 0.5.</summary>
    public double First { get; init; } = 0.5;

    /// <summary>Second milestone, [first, 1]; default 0.75. 1 means no second drop (the budget ends there).</summary>
    public double Second { get; init; } = 0.75;

    /// <summary>Multiplier at each milestone, (0, 1]; default 0.1.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Throws a one-line input error for milestones out of order.</summary>
    public StepScheduleOptions Validate()
    {
        if (Second < First)
        {
            throw new TunerInputException($"technique {StepScheduleTechnique.TechniqueName}: second={Second} comes before first={First}: give the milestones in order");
        }

        return this;
    }
}
