using Tuner.Training.Data;

namespace Tuner.Suites.Loading;

/// <summary>A suite's train split and held-out split, as tensors. Owns and disposes both.</summary>
public sealed class SuiteData(TensorDataset train, TensorDataset eval) : IDisposable
{
    public TensorDataset Train { get; } = train;

    /// <summary>Held out: evaluated on, never trained on.</summary>
    public TensorDataset Eval { get; } = eval;

    public void Dispose()
    {
        Train.Dispose();
        Eval.Dispose();
    }
}
