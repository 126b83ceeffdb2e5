using Tuner.Core.Configuration;

namespace Tuner.Storage;

/// <summary>What to run for a trial: the configuration, its unit-cube coordinates, the fidelity (fraction of the
/// study budget), the tuner's tag and the training seed.</summary>
public sealed record TrialPlan(TrainingConfiguration Configuration, IReadOnlyList<double> Unit, double Fidelity, string? Tag, long Seed);
