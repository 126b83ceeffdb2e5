using Tuner.Core.Trials;
using Tuner.Training.Engine;

namespace Tuner.Runner;

/// <summary>Runs one trial to a <see cref="TrialRecord"/>. A trial's own failure is a record (Failed), not an exception.</summary>
public interface ITrialRunner
{
    Task<TrialRecord> RunAsync(TrialRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
