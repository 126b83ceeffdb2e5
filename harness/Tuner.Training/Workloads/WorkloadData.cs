using Tuner.Training.Data;

namespace Tuner.Training.Workloads;

/// <summary>
/// A workload's three splits, as tensors (owns and disposes them): <see cref="Train"/> is trained on; the target is
/// checked on <see cref="Validation"/>, and search, pruning, capping and recommendation select on it; <see cref="Test"/>
/// is evaluated once at the end of a trial, untimed, and never drives a choice (MLPerf's and AlgoPerf's rule).
/// <para>
/// All three hold the same kind of samples: the same <see cref="TensorDataset.SampleShape"/>, the same
/// <see cref="TensorDataset.ClassCount"/>, and token ids in all or none of them.
/// </para>
/// </summary>
public sealed class WorkloadData(TensorDataset train, TensorDataset validation, TensorDataset test) : IDisposable
{
    /// <summary>Trained on.</summary>
    public TensorDataset Train { get; } = train ?? throw new ArgumentNullException(nameof(train));

    /// <summary>Held out from training; the target is checked on it.</summary>
    public TensorDataset Validation { get; } = validation ?? throw new ArgumentNullException(nameof(validation));

    /// <summary>Held out from training and from every choice; reported once per trial.</summary>
    public TensorDataset Test { get; } = test ?? throw new ArgumentNullException(nameof(test));

    /// <summary>Disposes the three splits' tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
