using Polly;
using Polly.Retry;
using Polly.Timeout;
using Tuner.Core.Trials;

namespace Tuner.Storage.Resilience;

/// <summary>How storage calls are retried.</summary>
public sealed record StorageResilienceOptions
{
    /// <summary>Retries after the first attempt (exponential backoff with jitter).</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>The first backoff; each retry roughly doubles it, with jitter so that workers do not retry in lockstep.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two attempts (the doubling stops there).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest single call (a hung connection fails instead of stopping the study).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Which failures are transient (connection refused or reset during a server restart, SQLITE_BUSY,
    /// serialization failures): <see cref="StorageErrors.IsTransient"/> by default.</summary>
    public Func<Exception, bool> IsTransient { get; init; } = StorageErrors.IsTransient;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Wraps a study store with a Polly pipeline: a timeout per call and retries with jittered exponential backoff on
/// transient errors only. Input errors (a mismatched study, a foreign file) and bugs are never retried. Retrying a
/// write whose commit was lost with the connection can at worst enqueue a duplicate proposal or leave a claimed trial
/// that is re-queued when its heartbeat goes stale; finishing a trial is idempotent (only the owner of a running trial
/// can finish it, once).
/// </summary>
public sealed class ResilientStudyStorage : IStudyStorage
{
    private readonly IStudyStorage _inner;
    private readonly ResiliencePipeline _pipeline;

    public ResilientStudyStorage(IStudyStorage inner, StorageResilienceOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        options ??= new StorageResilienceOptions();
        _inner = inner;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = options.Time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = options.MaxDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => options.IsTransient(ex) || ex is TimeoutRejectedException),
                OnRetry = args =>
                {
                    log?.Invoke($"storage: transient error ({StorageErrors.Describe(args.Outcome.Exception)}); retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0}s");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.CallTimeout)
            .Build();
    }

    /// <summary>The store being wrapped.</summary>
    public IStudyStorage Inner => _inner;

    public Task<StudyInfo> OpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.OpenStudyAsync(definition, ct), cancellationToken);

    public Task<StudyInfo?> FindStudyAsync(string name, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.FindStudyAsync(name, ct), cancellationToken);

    public Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(string namePrefix, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.ListStudiesAsync(namePrefix, ct), cancellationToken);

    public Task<StoredTrial> EnqueueTrialAsync(long studyId, TrialPlan plan, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.EnqueueTrialAsync(studyId, plan, ct), cancellationToken);

    public Task<StoredTrial?> ClaimTrialAsync(long studyId, string workerId, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.ClaimTrialAsync(studyId, workerId, ct), cancellationToken);

    public Task<bool> HeartbeatAsync(long studyId, int number, string workerId, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.HeartbeatAsync(studyId, number, workerId, ct), cancellationToken);

    public Task<bool> FinishTrialAsync(long studyId, int number, string workerId, TrialRecord record, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.FinishTrialAsync(studyId, number, workerId, record, ct), cancellationToken);

    public Task<bool> ReleaseTrialAsync(long studyId, int number, string workerId, string note, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.ReleaseTrialAsync(studyId, number, workerId, note, ct), cancellationToken);

    public Task<IReadOnlyList<StoredTrial>> RequeueAbandonedAsync(long studyId, TimeSpan staleAfter, int maxAttempts, Func<string, bool>? isWorkerAlive, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.RequeueAbandonedAsync(studyId, staleAfter, maxAttempts, isWorkerAlive, ct), cancellationToken);

    public Task<IReadOnlyList<StoredTrial>> GetTrialsAsync(long studyId, CancellationToken cancellationToken) =>
        RunAsync(ct => _inner.GetTrialsAsync(studyId, ct), cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    public override string ToString() => _inner.ToString() ?? nameof(ResilientStudyStorage);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
