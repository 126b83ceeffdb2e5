using Tuner.Core.Workloads;
using Tuner.Training.Workloads;
using static TorchSharp.torch;

namespace Tuner.TestWorkloads;

/// <summary>A workload whose constructor throws (a missing licence file, say).</summary>
public sealed class ThrowingWorkload : IWorkload
{
    public ThrowingWorkload() => throw new InvalidOperationException("the rings licence file is missing");

    public WorkloadFacts Facts => WorkloadFacts.None;

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data) => throw new NotSupportedException();
}

/// <summary>The rings, with a model that returns 5 logits for 3 classes.</summary>
public sealed class WrongOutputWorkload(WorkloadOptions options) : IWorkload
{
    private readonly RingsWorkload _rings = new(options);

    public WorkloadFacts Facts => WorkloadFacts.RealInputs;

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken) => _rings.LoadAsync(context, cancellationToken);

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data) => nn.Linear(2, 5);
}

/// <summary>The rings, claiming images they are not.</summary>
public sealed class FalseImagesWorkload(WorkloadOptions options) : IWorkload
{
    private readonly RingsWorkload _rings = new(options);

    public WorkloadFacts Facts => WorkloadFacts.RealInputs | WorkloadFacts.Images;

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken) => _rings.LoadAsync(context, cancellationToken);

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data) => _rings.CreateModel(data);
}

/// <summary>Claims the built-in model fact, which a workload from an assembly cannot have.</summary>
public sealed class BuiltInClaimWorkload : IWorkload
{
    public WorkloadFacts Facts => WorkloadFacts.RealInputs | WorkloadFacts.BuiltInModel;

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data) => throw new NotSupportedException();
}

/// <summary>Not a workload at all.</summary>
public sealed class NotAWorkload
{
    public override string ToString() => "not a workload";
}
