using Tuner.Training.Data;

namespace Tuner.Suites.Loading;

/// <summary>
/// A suite's three splits, as tensors (owns and disposes them): <see cref="Train"/> is trained on; the target is checked
/// on <see cref="Validation"/>, and search, pruning, capping and recommendation select on it; <see cref="Test"/> is
/// evaluated once at the end of a trial, untimed, and never drives a choice (MLPerf's and AlgoPerf's rule).
/// </summary>
public sealed class SuiteData(TensorDataset train, TensorDataset validation, TensorDataset test) : IDisposable
{
    public TensorDataset Train { get; } = train;

    /// <summary>Held out from training; the target is checked on it.</summary>
    public TensorDataset Validation { get; } = validation;

    /// <summary>Held out from training and from every choice; reported once per trial.</summary>
    public TensorDataset Test { get; } = test;

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
