using Polly;
using Polly.Retry;
using Tuner.Core.Trials;
using Tuner.Training.Engine;

namespace Tuner.Runner.Processes;

/// <summary>
/// Retries a trial whose worker process crashed, could not start or was killed (an infrastructure failure, see
/// <see cref="ProcessTrialRunner.IsInfrastructureFailure"/>), with jittered backoff, and returns the last record when
/// retries run out. A trial's own outcome (reached, not reached, diverged, a Failed record from inside training) is a
/// result and is never retried.
/// </summary>
public sealed class InfrastructureRetryRunner : ITrialRunner
{
    private readonly ITrialRunner _inner;
    private readonly ResiliencePipeline<TrialRecord> _pipeline;

    public InfrastructureRetryRunner(ITrialRunner inner, int maxRetries = 2, TimeSpan? firstDelay = null, IProgress<string>? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _pipeline = new ResiliencePipelineBuilder<TrialRecord> { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<TrialRecord>
            {
                MaxRetryAttempts = Math.Max(1, maxRetries),
                Delay = firstDelay ?? TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<TrialRecord>().HandleResult(ProcessTrialRunner.IsInfrastructureFailure),
                OnRetry = args =>
                {
                    log?.Report($"{args.Outcome.Result?.FailureReason}; retrying the trial ({args.AttemptNumber + 1} of {maxRetries})");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task<TrialRecord> RunAsync(TrialRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await _inner.RunAsync(request, progress, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
