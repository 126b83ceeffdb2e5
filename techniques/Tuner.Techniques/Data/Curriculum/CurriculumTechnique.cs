using TorchSharp;
using Tuner.Core.Options;
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

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "Curriculum",
        Summary = "Orders the first epochs from easy to hard by each row's loss under the current model, optionally paced from an easiest fraction.",
        Paper = "Bengio, Louradour, Collobert and Weston, Curriculum Learning, ICML 2009",
        Options =
        [
            OptionSpec.Whole("epochs", 1, 1, 1000, "epochs ordered easy to hard"),
            OptionSpec.Number("start_fraction", 1.0, 1e-6, 1, "pacing: easiest fraction used in the first curriculum epoch, growing to 1"),
        ],
        Conflicts = ["data_pruning", "importance_sampling"],
        Order = 300,
        Create = o => new CurriculumTechnique(new CurriculumOptions { Epochs = o.Whole("epochs"), StartFraction = o.Number("start_fraction") }),
        ProbeSummary = "in the curriculum epochs the rows come in non-decreasing loss under the model of that moment, as many as the pacing says",
        Probe = t => new CurriculumProbe(t),
    };

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
