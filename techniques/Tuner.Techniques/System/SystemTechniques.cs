using Tuner.Techniques.Systems.BatchSize;
using Tuner.Techniques.Systems.EvalCadence;
using Tuner.Techniques.Systems.Prefetch;
using Tuner.Techniques.Systems.Threads;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems; // not ".System": it would shadow the System namespace inside Tuner.Techniques

/// <summary>System-centric techniques (survey "On Efficient Training of Large-Scale Deep Learning Models", arXiv 2304.03589).</summary>
public static class SystemTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } =
    [
        new(
            PrefetchTechnique.TechniqueName,
            TechniqueCategory.System,
            "Gathers the next batches on a background thread while the current one trains (bounded queue); batches are checked to be exactly the ones asked for.",
            "Paszke et al., PyTorch: An Imperative Style, High-Performance Deep Learning Library (DataLoader workers), NeurIPS 2019; Leclerc et al., FFCV, CVPR 2023",
            [],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["depth"] = "batches prepared ahead, [1, 64], default 2" },
            o => new PrefetchTechnique(o.WholeNumber("depth", 2, 1, 64)))
        {
            Folder = "Prefetch",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            ThreadsTechnique.TechniqueName,
            TechniqueCategory.System,
            "Sets libtorch's intra-op thread count for the run and restores the previous count at the end.",
            "Intel, Maximize TensorFlow/PyTorch performance on CPUs: intra-op parallelism settings; PyTorch CPU threading and TorchScript inference notes",
            [],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["n"] = "intra-op threads, [1, 1024], default the processor count" },
            o => new ThreadsTechnique(o.WholeNumber("n", Environment.ProcessorCount, 1, 1024)))
        {
            Folder = "Threads",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            EvalCadenceTechnique.TechniqueName,
            TechniqueCategory.System,
            "Evaluates every `every` steps instead of the suite's cadence: finer time-to-target resolution for more (uncharged) evaluation time.",
            "Dahl et al., Benchmarking Neural Network Training Algorithms (AlgoPerf), 2023; Mattson et al., MLPerf Training Benchmark, MLSys 2020",
            [],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["every"] = "steps between evaluations, [1, 1000000], default 50" },
            o => new EvalCadenceTechnique(o.WholeNumber("every", 50, 1, 1_000_000)))
        {
            Folder = "EvalCadence",
            Contract = TechniqueContract.On("digits-mlp", ("every", "1")),
        },
        new(
            BatchSizeTechnique.TechniqueName,
            TechniqueCategory.System,
            "Trains with `size` samples per step instead of the recipe's, keeping the learning rate (large_batch also rescales it).",
            "Goyal et al., Accurate, Large Minibatch SGD, 2017; Shallue et al., Measuring the Effects of Data Parallelism on Neural Network Training, JMLR 2019",
            ["large_batch"],
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["size"] = "samples per step, [1, 65536], default 256" },
            o => new BatchSizeTechnique(o.WholeNumber("size", 256, 1, 65536)))
        {
            Folder = "BatchSize",
            Contract = TechniqueContract.On("digits-mlp", ("size", "16")),
        },
    ];
}
