using Tuner.Core.Workloads;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Suites.Specs;
using Tuner.Training.Models;
using Tuner.Training.Workloads;
using static TorchSharp.torch;

namespace Tuner.Suites.Workloads;

/// <summary>
/// A described suite (its <c>data</c> and <c>model</c> entries) as an <see cref="IWorkload"/>: Tuner's data readers
/// (<see cref="SuiteDataLoader"/>) and model kinds (<see cref="ModelFactory"/>). Every built-in suite is one, so the
/// workload API carries everything that exists. Techniques that rewrite the model's description before it is built
/// (<see cref="IModelTransform"/>) get a copy with the rewritten <see cref="Model"/> (<see cref="Transformed"/>).
/// </summary>
public sealed class SuiteWorkload : IWorkload
{
    private readonly SuiteSpec _suite;

    public SuiteWorkload(SuiteSpec suite)
        : this(suite ?? throw new ArgumentNullException(nameof(suite)), suite.DescribedModel)
    {
    }

    private SuiteWorkload(SuiteSpec suite, ModelSpec model)
    {
        _suite = suite;
        Model = model;
    }

    /// <summary>The model built (the suite's, or as techniques rewrote it).</summary>
    public ModelSpec Model { get; }

    public WorkloadFacts Facts => _suite.Facts;

    public string ModelDescription => Model.ToString();

    /// <summary>This workload with its model rewritten by <paramref name="transforms"/>, in order.</summary>
    public SuiteWorkload Transformed(IEnumerable<IModelTransform> transforms) =>
        new(_suite, transforms.Aggregate(Model, (spec, transform) => transform.Transform(spec)));

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SuiteDataLoader.LoadAsync(_suite, new DataStore(context.DataDirectory), context.Log, cancellationToken);
    }

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ModelFactory.Create(Model, data.Train.SampleShape, data.Train.ClassCount);
    }

    public double? TrainingFlopsPerSample(WorkloadData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ModelFactory.TrainingFlopsPerSample(Model, data.Train.SampleShape, data.Train.ClassCount);
    }
}
