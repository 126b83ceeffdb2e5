using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LabelSmoothing;

/// <summary>Swaps the loss for smoothed cross-entropy at BeforeLoss and restores the previous loss at AfterLoss.</summary>
public sealed class LabelSmoothingTechnique(double alpha) : ITechnique
{
    public const string TechniqueName = "label_smoothing";
    private LossFunction? _saved;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public double Alpha { get; } = alpha;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.BeforeLoss or TrainingEvent.AfterLoss;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.BeforeLoss)
        {
            _saved = state.LossFunction;
            state.LossFunction = (logits, labels) => LabelSmoothingMath.Loss(logits, labels, Alpha);
        }
        else if (_saved is not null)
        {
            state.LossFunction = _saved;
            _saved = null;
        }
    }
}
