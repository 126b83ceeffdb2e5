namespace Tuner.Storage;

/// <summary>
/// What a study is: its name (unique in a store) and everything that makes its trials comparable. Reopening a study
/// with a different definition is an error (except <see cref="CreatedBy"/>).
/// </summary>
public sealed record StudyDefinition
{
    public required string Name { get; init; }

    public required string Suite { get; init; }

    /// <summary>Tuner name (smac, cfo, random, grid, sh, hyperband, asha).</summary>
    public required string Tuner { get; init; }

    public required long TunerSeed { get; init; }

    /// <summary>The training budget of a full-fidelity trial, typed (stored as its canonical text, e.g. <c>60s</c>, and read back by the store).</summary>
    public required Core.Budgets.Budget Budget { get; init; }

    public required string TargetMetric { get; init; }

    public required double TargetValue { get; init; }

    /// <summary>The search space in its canonical JSON form.</summary>
    public required string SpaceJson { get; init; }

    /// <summary>Free text saying who created it (command line, version); informational.</summary>
    public string CreatedBy { get; init; } = string.Empty;
}

/// <summary>A study as stored: its id in the store and its definition.</summary>
public sealed record StudyInfo(long Id, StudyDefinition Definition, DateTimeOffset CreatedAt);
