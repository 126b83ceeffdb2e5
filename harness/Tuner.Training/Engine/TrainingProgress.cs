namespace Tuner.Training.Engine;

/// <summary>A progress snapshot for live views: reported after each evaluation and periodically between them.</summary>
public sealed record TrainingProgress(
    long Step,
    long Samples,
    double BudgetFraction,
    double ChargedSeconds,
    double TrainLoss,
    double? LastMetric,
    double? BestMetric);
