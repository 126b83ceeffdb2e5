using Tuner.Training.Engine;

namespace Tuner.Techniques.Data.SelectiveBackprop;

/// <summary>
/// Selective Backprop: between BeforeLoss and AfterLoss the loss is computed on the k = max(1, ceil(fraction * B))
/// samples of the batch with the highest cross-entropy only (chosen on detached losses), so only they are
/// back-propagated; the previous loss function (applied to those rows) is restored at AfterLoss.
/// </summary>
public sealed class SelectiveBackpropTechnique(double fraction) : ITechnique
{
    public const string TechniqueName = "selective_backprop";
    private LossFunction? _saved;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    /// <summary>Fraction of each batch back-propagated, (0, 1].</summary>
    public double Fraction { get; } = fraction is > 0 and <= 1 ? fraction : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the fraction must be in (0, 1]");

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.BeforeLoss || (trainingEvent == TrainingEvent.AfterLoss && _saved is not null);

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.BeforeLoss)
        {
            _saved = state.LossFunction;
            LossFunction previous = _saved;
            state.LossFunction = (outputs, targets) => SelectiveBackpropMath.Loss(previous, outputs, targets, Fraction);
        }
        else
        {
            state.LossFunction = _saved!;
            _saved = null;
        }
    }
}
