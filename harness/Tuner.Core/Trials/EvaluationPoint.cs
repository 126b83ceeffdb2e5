namespace Tuner.Core.Trials;

/// <summary>One evaluation on the validation split during training.</summary>
public sealed record EvaluationPoint(long Step, long Samples, double TrainSeconds, double Metric, double EvalLoss, double TrainLoss);
