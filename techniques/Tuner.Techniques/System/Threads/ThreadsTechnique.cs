using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Systems.Threads;

/// <summary>
/// Sets libtorch's intra-op thread count to <see cref="Count"/> at FitStart and restores the previous count at FitEnd.
/// A system knob: more threads help large operators (convolutions, wide matrix products) and cost synchronisation on
/// small ones, so the best count depends on the model and the machine.
/// </summary>
public sealed class ThreadsTechnique(int count) : ITechnique
{
    public const string TechniqueName = "threads";
    private int _previous;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "Threads",
        Summary = "Sets libtorch's intra-op thread count for the run and restores the previous count at the end.",
        Paper = "Intel, Maximize TensorFlow/PyTorch performance on CPUs: intra-op parallelism settings; PyTorch CPU threading and TorchScript inference notes",
        Options = [OptionSpec.Whole("n", Environment.ProcessorCount, 1, 1024, "intra-op threads (default: the processor count)")],
        Order = 100,
        Create = o => new ThreadsTechnique(o.Whole("n")),
        ProbeSummary = "every training step runs with n intra-op threads, and the previous count is back after the run",
        Probe = t => new ThreadsProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["n"] = "1" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    /// <summary>Intra-op threads during the run.</summary>
    public int Count { get; } = count;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.FitStart || (trainingEvent == TrainingEvent.FitEnd && _previous > 0);

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.FitStart)
        {
            _previous = get_num_threads();
            set_num_threads(Count);
        }
        else
        {
            set_num_threads(_previous);
            _previous = 0;
        }
    }
}
