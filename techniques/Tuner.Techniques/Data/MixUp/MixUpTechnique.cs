using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.MixUp;

/// <summary>
/// mixup: at AfterDataLoader the batch becomes lambda * x + (1 - lambda) * x[perm] (perm a seeded permutation of the
/// batch, lambda ~ Beta(alpha, alpha)); at BeforeLoss the loss becomes lambda * loss(out, y) + (1 - lambda) * loss(out, y[perm]),
/// and the previous loss function is restored at AfterLoss.
/// </summary>
public sealed class MixUpTechnique(MixUpOptions options) : ITechnique
{
    public const string TechniqueName = "mixup";
    private readonly MixedLossSwap _loss = new();

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public MixUpOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The current batch's lambda (NaN when the batch is not mixed).</summary>
    public double Lambda { get; private set; } = double.NaN;

    /// <summary>The current batch's partner permutation, from AfterDataLoader to AfterLoss; null when the batch is not mixed. Lives in the batch's dispose scope.</summary>
    public Tensor? Permutation { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterDataLoader => true,
        TrainingEvent.BeforeLoss => Permutation is not null,
        TrainingEvent.AfterLoss => _loss.IsSwapped,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.AfterDataLoader:
                Mix(state);
                break;
            case TrainingEvent.BeforeLoss:
                _loss.Swap(state, Permutation!, Lambda);
                break;
            case TrainingEvent.AfterLoss:
                _loss.Restore(state);
                Permutation = null;
                Lambda = double.NaN;
                break;
        }
    }

    private void Mix(TrainingState state)
    {
        Permutation = null;
        Lambda = double.NaN;
        Tensor inputs = state.Inputs ?? throw new InvalidOperationException("mixup: no inputs at AfterDataLoader");
        if (Options.Probability < 1 && state.Random.NextDouble() >= Options.Probability)
        {
            return;
        }

        Lambda = MixUpMath.SampleBeta(state.Random, Options.Alpha, Options.Alpha);
        Tensor order = randperm(inputs.shape[0], generator: state.Generator); // the batch's scope owns it
        Permutation = order.to(inputs.device);
        state.Inputs = MixUpMath.Mix(inputs, Permutation, Lambda);
    }
}
