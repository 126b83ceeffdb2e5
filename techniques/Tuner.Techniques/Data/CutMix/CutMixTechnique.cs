using Tuner.Techniques.Data.MixUp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.CutMix;

/// <summary>
/// CutMix: at AfterDataLoader a random box of each image is replaced by the same box of a partner image (a seeded
/// permutation of the batch); lambda = 1 - box area / image area; the loss is mixed like mixup's between BeforeLoss
/// and AfterLoss. Images only: FitStart fails with a clear message on other inputs.
/// </summary>
public sealed class CutMixTechnique(CutMixOptions options) : ITechnique
{
    public const string TechniqueName = "cutmix";
    private readonly MixedLossSwap _loss = new();

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public CutMixOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The current batch's lambda (NaN when the batch is not mixed).</summary>
    public double Lambda { get; private set; } = double.NaN;

    /// <summary>The current batch's pasted box (meaningful while <see cref="Permutation"/> is set).</summary>
    public CutMixBox Box { get; private set; }

    /// <summary>The current batch's partner permutation, from AfterDataLoader to AfterLoss; null when not mixed. Lives in the batch's dispose scope.</summary>
    public Tensor? Permutation { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart or TrainingEvent.AfterDataLoader => true,
        TrainingEvent.BeforeLoss => Permutation is not null,
        TrainingEvent.AfterLoss => _loss.IsSwapped,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                ImageInputs.Require(Name, state);
                break;
            case TrainingEvent.AfterDataLoader:
                Cut(state);
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

    private void Cut(TrainingState state)
    {
        Permutation = null;
        Lambda = double.NaN;
        Tensor inputs = state.Inputs ?? throw new InvalidOperationException("cutmix: no inputs at AfterDataLoader");
        if (Options.Probability < 1 && state.Random.NextDouble() >= Options.Probability)
        {
            return;
        }

        int height = (int)inputs.shape[2];
        int width = (int)inputs.shape[3];
        double drawn = MixUpMath.SampleBeta(state.Random, Options.Alpha, Options.Alpha);
        Box = CutMixMath.Box(height, width, drawn, state.Random.Next(height), state.Random.Next(width));
        Lambda = CutMixMath.Lambda(Box, height, width);
        Tensor order = randperm(inputs.shape[0], generator: state.Generator); // the batch's scope owns it
        Permutation = order.to(inputs.device);
        state.Inputs = CutMixMath.Paste(inputs, Permutation, Box);
    }
}
