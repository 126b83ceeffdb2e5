namespace Tuner.Training.Engine;

/// <summary>
/// The points in a training run where techniques can act (after MosaicML Composer's events). Per batch:
/// BatchStart, (the batch is loaded), AfterDataLoader, BeforeForward, (forward), AfterForward, BeforeLoss, (the composed loss), AfterLoss, BeforeBackward,
/// (zero_grad, backward), AfterBackward, BeforeOptimizerStep, (the one optimizer step), AfterOptimizerStep, BatchEnd.
/// </summary>
public enum TrainingEvent
{
    FitStart,
    EpochStart,

    /// <summary>A batch begins, before its rows are loaded (the injected slowdown times the whole batch from here).</summary>
    BatchStart,
    AfterDataLoader,
    BeforeForward,
    AfterForward,
    BeforeLoss,
    AfterLoss,
    BeforeBackward,
    AfterBackward,
    BeforeOptimizerStep,

    /// <summary>Right after the optimizer's step, in the declared order (lookahead, pruning masks, weight averaging).</summary>
    AfterOptimizerStep,
    BatchEnd,
    EvalStart,
    EvalEnd,
    FitEnd,
}

public static class TrainingEventExtensions
{
    /// <summary>
    /// Events at which techniques run in reverse order, so that what one changed before an event is restored
    /// after it in FILO order (Composer's ordering pass).
    /// </summary>
    public static bool RunsInReverse(this TrainingEvent trainingEvent) => trainingEvent is
        TrainingEvent.AfterForward or TrainingEvent.AfterLoss or TrainingEvent.AfterBackward or
        TrainingEvent.BatchEnd or TrainingEvent.EvalEnd or TrainingEvent.FitEnd;
}
