using TorchSharp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.Curriculum;

/// <summary>
/// Curriculum learning: at the start of each of the first <see cref="CurriculumOptions.Epochs"/> epochs every train row
/// is scored by its cross-entropy under the current model (no gradients, in chunks; charged, since it is training work)
/// and the epoch visits the rows from easy (low loss) to hard, optionally only the easiest paced fraction. Later epochs
/// keep the trainer's random order.
/// </summary>
public sealed class CurriculumTechnique(CurriculumOptions options) : ITechnique
{
    public const string TechniqueName = "curriculum";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public CurriculumOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.EpochStart && state is not null && state.Epoch < Options.Epochs;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using DisposeScope scope = NewDisposeScope();
        Tensor scores = TrainSplitScoring.Score(state.Model, state.Train, TrainSplitScoring.CrossEntropy);
        long count = CurriculumMath.PacedCount(state.Train.Count, Options.StartFraction, state.Epoch, Options.Epochs);
        Tensor order = CurriculumMath.EasyToHard(scores).narrow(0, 0, count).to(state.Device);
        state.EpochIndices = order.MoveToOuterDisposeScope(); // the epoch's scope owns it
    }
}
