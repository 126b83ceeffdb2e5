using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Search.Pruners;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Storage;
using Tuner.Training.Engine;

namespace Tuner.Runner.Search;

/// <summary>
/// Runs a search as ask/tell over a study store: rebuilds the tuner from the stored history, re-queues trials whose
/// worker stopped (an interrupted trial is re-run, never counted as finished), then claims or proposes, runs and
/// records one trial at a time until the stop condition. Every finished trial is in the store the moment it ends, so
/// an interrupted search loses at most the running trial, which the next run repeats.
/// </summary>
public sealed class StudyRunner
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);
    /// <summary>A running trial whose worker has not heart-beaten for this long is re-queued.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequeueInterval = TimeSpan.FromSeconds(5);
    private readonly IStudyStorage _storage;
    private readonly ITrialRunner _runner;
    private readonly TimeProvider _time;
    private readonly string _workerId;

    public StudyRunner(IStudyStorage storage, ITrialRunner runner, TimeProvider? time = null, string? workerId = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(runner);
        _storage = storage;
        _runner = runner;
        _time = time ?? TimeProvider.System;
        _workerId = workerId ?? WorkerIdentity.Current;
    }

    /// <summary>Creates or opens the study of <paramref name="options"/> (a mismatched definition is a one-line input error).</summary>
    public async Task<StudySession> OpenAsync(SearchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        double target = options.TargetValue ?? options.Suite.Target.Value;
        StudyInfo study = await _storage.OpenStudyAsync(Definition(options), cancellationToken).ConfigureAwait(false);
        return new StudySession(study, options.Space, options.Budget, target);
    }

    public static StudyDefinition Definition(SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StudyDefinition
        {
            Name = options.StudyName,
            Suite = options.Suite.Name,
            Tuner = options.Tuner,
            TunerSeed = options.TunerSeed,
            Budget = options.Budget,
            TargetMetric = options.Suite.Target.StudyMetric,
            TargetValue = options.TargetValue ?? options.Suite.Target.Value,
            SpaceJson = SearchSpaceFile.ToJson(options.Space),
            CreatedBy = options.CreatedBy,
        };
    }

    /// <summary>Runs the search until <see cref="SearchOptions.MaxTrials"/> finished trials, the time limit, the tuner running out of proposals, or cancellation (which leaves the running trial to be re-run).</summary>
    public async Task<IReadOnlyList<TrialResult>> RunAsync(SearchOptions options, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        StudySession session = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        long studyId = session.Study.Id;
        long started = options.StartedTimestamp ?? _time.GetTimestamp();
        await _storage.RequeueAbandonedAsync(studyId, StaleAfter, options.MaxAttempts, WorkerIdentity.IsAlive, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<StoredTrial> stored = await _storage.GetTrialsAsync(studyId, cancellationToken).ConfigureAwait(false);
        // A claiming worker never asks its tuner; random is built for any study (a validation study has no tuner of its own).
        ITuner tuner = TunerFactory.Create(options.Propose ? options.Tuner : "random", session, options);
        var finished = new List<TrialResult>();
        foreach (StoredTrial trial in stored)
        {
            if (session.ToResult(trial) is TrialResult result)
            {
                tuner.Update(result);
                finished.Add(result);
            }
        }

        if (options.Workers > 1 && _runner is InProcessTrialRunner)
        {
            throw new Core.Errors.TunerInputException($"--workers {options.Workers} runs trials at once, which needs process isolation: drop --in-process");
        }

        IPruner? pruner = options.Prune ? new MedianPruner(lowerIsBetter: session.Objective.LowerIsBetter) : null;
        var shared = new SharedState(tuner, finished, pruner, started);
        int workers = Math.Max(1, options.Workers);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(k =>
            WorkerLoopAsync(workers == 1 ? _workerId : $"{_workerId}/{k}", session, options, shared, progress, cancellationToken))).ConfigureAwait(false);
        return finished;
    }

    /// <summary>
    /// Proposes without running anything itself: the trials are run by workers a launcher started elsewhere
    /// (<paramref name="pool"/>, e.g. a Slurm job array of <c>tuner worker --study</c>), which claim them from the store.
    /// Keeps <see cref="SearchOptions.QueueAhead"/> trials waiting (the number of workers), learns from every trial
    /// they finish, re-queues the trials of workers that stopped, and returns when <see cref="SearchOptions.MaxTrials"/>
    /// trials have finished, the tuner has nothing more to propose and nothing waits or runs, or the time limit has
    /// passed and the running trials have finished: at the limit the proposer claims the trials still waiting, so no
    /// worker starts one, and hands them back to the queue on return (the next run starts with them). The pool is
    /// stopped on return, also when interrupted.
    /// </summary>
    public async Task<IReadOnlyList<TrialResult>> ProposeAsync(SearchOptions options, IWorkerPool pool, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pool);
        StudySession session = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        long studyId = session.Study.Id;
        long started = options.StartedTimestamp ?? _time.GetTimestamp();
        ITuner tuner = TunerFactory.Create(options.Tuner, session, options);
        var shared = new SharedState(tuner, [], null, started) { LastRequeue = 0 };
        var held = new HashSet<int>();
        long lastHeartbeat = _time.GetTimestamp();
        string? workers = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (shared.LastRequeue == 0 || _time.GetElapsedTime(shared.LastRequeue) >= RequeueInterval)
                {
                    shared.LastRequeue = _time.GetTimestamp();
                    await _storage.RequeueAbandonedAsync(studyId, StaleAfter, options.MaxAttempts, WorkerIdentity.IsAlive, cancellationToken).ConfigureAwait(false);
                }

                IReadOnlyList<StoredTrial> all = await _storage.GetTrialsAsync(studyId, cancellationToken).ConfigureAwait(false);
                Learn(session, shared, all, result => progress?.Report(Snapshot(session, options, shared, result, workers)));

                int waiting = all.Count(t => t.State == TrialState.Waiting);
                int running = all.Count(t => t.State == TrialState.Running && !held.Contains(t.Number));
                if (options.MaxTrials is int max && shared.Finished.Count >= max)
                {
                    break;
                }

                bool proposedNothing = false;
                if (options.TimeLimit is TimeSpan limit && _time.GetElapsedTime(started) >= limit)
                {
                    // No new trial starts after the limit: withdraw the waiting ones, and wait for the running ones.
                    while (await _storage.ClaimTrialAsync(studyId, _workerId, cancellationToken).ConfigureAwait(false) is StoredTrial withdrawn)
                    {
                        held.Add(withdrawn.Number);
                    }

                    waiting = 0;
                    proposedNothing = true;
                }
                else
                {
                    int wanted = Math.Max(0, Math.Max(1, options.QueueAhead) - waiting);
                    if (options.MaxTrials is int most)
                    {
                        wanted = Math.Min(wanted, Math.Max(0, most - shared.Finished.Count - waiting - running));
                    }

                    int enqueued = await EnqueueProposalsAsync(session, shared, options, all, wanted, cancellationToken).ConfigureAwait(false);
                    proposedNothing = enqueued < wanted;
                    waiting += enqueued;
                }

                if (proposedNothing && waiting + running == 0)
                {
                    break; // the tuner has nothing more (or the time is up) and nothing waits or runs
                }

                workers = await pool.CheckAsync(shared.Finished.Count, workLeft: true, cancellationToken).ConfigureAwait(false);
                if (held.Count > 0 && _time.GetElapsedTime(lastHeartbeat) >= HeartbeatInterval)
                {
                    lastHeartbeat = _time.GetTimestamp();
                    foreach (int number in held)
                    {
                        await _storage.HeartbeatAsync(studyId, number, _workerId, cancellationToken).ConfigureAwait(false);
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (int number in held)
            {
                await _storage.ReleaseTrialAsync(studyId, number, _workerId, $"withdrawn at {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z: the search's time was up before a worker started it", CancellationToken.None).ConfigureAwait(false);
            }

            await pool.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return shared.Finished;
    }

    private StudyProgress Snapshot(StudySession session, SearchOptions options, SharedState shared, TrialResult last, string? workers)
    {
        TimeSpan elapsed = _time.GetElapsedTime(shared.Started);
        TrialResult? best = session.Objective.Rank(shared.Finished).FirstOrDefault();
        return new StudyProgress(shared.Finished.Count, options.MaxTrials, elapsed, null, best, null, null, null, last, workers);
    }

    /// <summary>What the worker loops of one run share; <see cref="Gate"/> serialises proposing, tuner updates and the lists.</summary>
    private sealed class SharedState(ITuner tuner, List<TrialResult> finished, IPruner? pruner, long started)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ITuner Tuner { get; } = tuner;

        public List<TrialResult> Finished { get; } = finished;

        public IPruner? Pruner { get; } = pruner;

        public long Started { get; } = started;

        public List<double> Durations { get; } = [];

        public int InFlight { get; set; }

        public bool WarmedUp { get; set; }

        /// <summary>Trial numbers the tuner has been told about.</summary>
        public HashSet<int> Known { get; } = [.. finished.Select(r => r.Number)];

        /// <summary>When abandoned trials were last looked for.</summary>
        public long LastRequeue { get; set; } = started;

        /// <summary>When a worker loop last got a trial (claiming workers stop after an idle timeout).</summary>
        public long LastWork { get; set; } = started;
    }

    private async Task WorkerLoopAsync(string workerId, StudySession session, SearchOptions options, SharedState shared, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        long studyId = session.Study.Id;
        while (!cancellationToken.IsCancellationRequested)
        {
            StoredTrial? claimed;
            await shared.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                TimeSpan elapsed = _time.GetElapsedTime(shared.Started);
                if ((options.MaxTrials is int max && shared.Finished.Count + shared.InFlight >= max) || (options.TimeLimit is TimeSpan limit && elapsed >= limit))
                {
                    return;
                }

                claimed = await ClaimOrProposeAsync(session, shared, options, workerId, cancellationToken).ConfigureAwait(false);
                if (claimed is null && options.Propose && shared.InFlight == 0)
                {
                    return; // the tuner has nothing more to propose and nothing waits or runs
                }

                if (claimed is null && !options.Propose && _time.GetElapsedTime(shared.LastWork) >= options.IdleTimeout)
                {
                    return; // a claiming worker with nothing to do for the idle timeout
                }

                if (claimed is not null)
                {
                    shared.InFlight++;
                    shared.LastWork = _time.GetTimestamp();
                }

                if (claimed is not null && !shared.WarmedUp && _runner is InProcessTrialRunner)
                {
                    try
                    {
                        await WarmUpAsync(options, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Interrupted while warming up: the claimed trial goes back as it would mid-run.
                        await _storage.ReleaseTrialAsync(studyId, claimed.Number, workerId, $"handed back at {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z: the command was interrupted", CancellationToken.None).ConfigureAwait(false);
                        throw;
                    }

                    shared.WarmedUp = true;
                }
            }
            finally
            {
                shared.Gate.Release();
            }

            if (claimed is null)
            {
                // A synchronous stage waits for running trials, or a claiming worker waits for the proposer.
                await Task.Delay(options.Propose ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            Proposal proposal = session.ToProposal(claimed.Plan);
            var trialProgress = new Progress(progress, shared.Finished, options, session, shared.Started, _time, proposal, claimed.Number, shared.Durations);
            trialProgress.Report(null);
            long trialStarted = _time.GetTimestamp();
            TrialRecord record;
            try
            {
                record = await RunTrialAsync(session, claimed, workerId, shared, options, trialProgress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Interrupted (Ctrl-C, SIGTERM): hand the trial back at once, without using up an attempt, so the next run
                // repeats it; a killed process leaves it Running, and the next run re-queues it because this process is gone.
                await _storage.ReleaseTrialAsync(studyId, claimed.Number, workerId, $"handed back at {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z: the command was interrupted", CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            bool stored = await _storage.FinishTrialAsync(studyId, claimed.Number, workerId, record, CancellationToken.None).ConfigureAwait(false);
            await shared.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                shared.InFlight--;
                if (!stored)
                {
                    continue; // re-queued meanwhile (this worker was judged dead); its next run will count
                }

                lock (shared.Finished)
                {
                    shared.Durations.Add(_time.GetElapsedTime(trialStarted).TotalSeconds);
                }

                var result = new TrialResult(claimed.Number, proposal, record.Status, record.TimeToTargetSeconds, record.BestMetric, record.TrainSeconds, record.Curve);
                if (shared.Known.Add(result.Number))
                {
                    shared.Tuner.Update(result);
                    lock (shared.Finished)
                    {
                        shared.Finished.Add(result);
                    }
                }

                trialProgress.Finished(result);
            }
            finally
            {
                shared.Gate.Release();
            }
        }
    }

    /// <summary>
    /// Claims a waiting trial, or (when this process proposes) takes in trials finished by other workers, proposes one
    /// and claims it; then keeps <see cref="SearchOptions.QueueAhead"/> more waiting for workers on other machines.
    /// Called under the gate, so this process proposes one trial at a time.
    /// </summary>
    private async Task<StoredTrial?> ClaimOrProposeAsync(StudySession session, SharedState shared, SearchOptions options, string workerId, CancellationToken cancellationToken)
    {
        long studyId = session.Study.Id;
        StoredTrial? claimed = await _storage.ClaimTrialAsync(studyId, workerId, cancellationToken).ConfigureAwait(false);
        if (claimed is null && _time.GetElapsedTime(shared.LastRequeue) >= RequeueInterval)
        {
            // Trials of workers that died meanwhile (on this machine: their process is gone; elsewhere: no heartbeat) go back to the queue.
            shared.LastRequeue = _time.GetTimestamp();
            await _storage.RequeueAbandonedAsync(studyId, StaleAfter, options.MaxAttempts, WorkerIdentity.IsAlive, cancellationToken).ConfigureAwait(false);
            claimed = await _storage.ClaimTrialAsync(studyId, workerId, cancellationToken).ConfigureAwait(false);
        }

        if (!options.Propose || (claimed is not null && options.QueueAhead == 0))
        {
            return claimed;
        }

        IReadOnlyList<StoredTrial> all = await _storage.GetTrialsAsync(studyId, cancellationToken).ConfigureAwait(false);
        Learn(session, shared, all);
        int waiting = all.Count(t => t.State == TrialState.Waiting);
        int wanted = (claimed is null ? 1 : 0) + Math.Max(0, options.QueueAhead - waiting);
        if (options.MaxTrials is int max)
        {
            // --trials N holds for the study, across every process proposing for it: trials another process queued or
            // runs count as well as finished ones (a second `tuner search --trials N` on the study adds none beyond N).
            int counted = all.Count(t => t.State is TrialState.Finished or TrialState.Waiting or TrialState.Running);
            wanted = Math.Min(wanted, Math.Max(0, max - counted));
        }

        await EnqueueProposalsAsync(session, shared, options, all, wanted, cancellationToken).ConfigureAwait(false);
        return claimed ?? await _storage.ClaimTrialAsync(studyId, workerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the tuner for up to <paramref name="wanted"/> trials (the ones waiting or running in <paramref name="all"/>
    /// are pending for it) and queues them; returns how many it proposed (fewer: it has nothing more for now).
    /// </summary>
    private async Task<int> EnqueueProposalsAsync(StudySession session, SharedState shared, SearchOptions options, IReadOnlyList<StoredTrial> all, int wanted, CancellationToken cancellationToken)
    {
        var pending = all.Where(t => t.State is TrialState.Waiting or TrialState.Running).Select(t => session.ToProposal(t.Plan)).ToList();
        int next = all.Count;
        for (int i = 0; i < wanted; i++)
        {
            Proposal? proposal = shared.Tuner.Propose(ProposalContext.For(session.Space, options.TunerSeed, next + i, pending));
            if (proposal is null)
            {
                return i;
            }

            var plan = new TrialPlan(proposal.Candidate.Configuration, proposal.Candidate.Unit, proposal.Fidelity, proposal.Tag, options.TrainingSeed);
            await _storage.EnqueueTrialAsync(session.Study.Id, plan, cancellationToken).ConfigureAwait(false);
            pending.Add(proposal);
        }

        return wanted;
    }

    /// <summary>Tells the tuner about trials that other workers (other processes or machines) finished since it last looked; <paramref name="learned"/> hears of each.</summary>
    private static void Learn(StudySession session, SharedState shared, IReadOnlyList<StoredTrial> all, Action<TrialResult>? learned = null)
    {
        foreach (StoredTrial trial in all)
        {
            if (!shared.Known.Contains(trial.Number) && session.ToResult(trial) is TrialResult result)
            {
                shared.Known.Add(trial.Number);
                shared.Tuner.Update(result);
                lock (shared.Finished)
                {
                    shared.Finished.Add(result);
                }

                learned?.Invoke(result);
            }
        }
    }

    private async Task<TrialRecord> RunTrialAsync(
        StudySession session,
        StoredTrial trial,
        string workerId,
        SharedState shared,
        SearchOptions options,
        IProgress<TrainingProgress> progress,
        CancellationToken cancellationToken)
    {
        double stopAt = Math.Min(1.0, trial.Plan.Fidelity);
        TrialResult[] comparable;
        double? best;
        await shared.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            best = shared.Finished.Where(r => r.Reached).Select(r => r.TimeToTargetSeconds).Min();
            comparable = [.. shared.Finished.Where(r => !r.Broken)];
        }
        finally
        {
            shared.Gate.Release();
        }

        IPruner? pruner = shared.Pruner;
        if (options.CapFactor > 0 && best is double bestSeconds && options.Budget.Unit == BudgetUnit.WallClock)
        {
            stopAt = Math.Min(stopAt, options.CapFactor * bestSeconds / options.Budget.Amount);
        }

        var request = new TrialRequest
        {
            Suite = options.Suite,
            Configuration = trial.Plan.Configuration,
            Budget = options.Budget,
            Seed = trial.Plan.Seed,
            Host = options.Host,
            TargetValue = session.Objective.TargetValue,
            StopAtFraction = stopAt,
            ShouldStop = pruner is null ? null : curve => pruner.ShouldPrune(curve, comparable),
        };

        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task heartbeat = HeartbeatAsync(session.Study.Id, trial.Number, workerId, heartbeatStop.Token);
        try
        {
            return await _runner.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeat.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task HeartbeatAsync(long studyId, int number, string workerId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await _storage.HeartbeatAsync(studyId, number, workerId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A short unrecorded run first, so JIT compilation and first-touch costs are not charged to the first trial.</summary>
    private async Task WarmUpAsync(SearchOptions options, CancellationToken cancellationToken) =>
        await _runner.RunAsync(
            new TrialRequest
            {
                Suite = options.Suite,
                Configuration = options.Suite.Baseline,
                Budget = Budget.Steps(20),
                Seed = options.TrainingSeed,
                Host = options.Host with { MemoryLimitBytes = null },
            },
            null,
            cancellationToken).ConfigureAwait(false);

    /// <summary>Turns training progress into study snapshots for the live view.</summary>
    private sealed class Progress(
        IProgress<StudyProgress>? sink,
        List<TrialResult> finished,
        SearchOptions options,
        StudySession session,
        long started,
        TimeProvider time,
        Proposal current,
        int number,
        List<double> durations) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress? value) => sink?.Report(Snapshot(current, number, value, null));

        public void Finished(TrialResult result) => sink?.Report(Snapshot(null, null, null, result));

        void IProgress<TrainingProgress>.Report(TrainingProgress value) => Report(value);

        private StudyProgress Snapshot(Proposal? proposal, int? trialNumber, TrainingProgress? training, TrialResult? last)
        {
            TimeSpan elapsed = time.GetElapsedTime(started);
            TrialResult? best;
            int count;
            lock (finished)
            {
                best = session.Objective.Rank(finished).FirstOrDefault();
                count = finished.Count;
            }

            return new StudyProgress(count, options.MaxTrials, elapsed, Remaining(elapsed, count), best, proposal, trialNumber, training, last);
        }

        private TimeSpan? Remaining(TimeSpan elapsed, int count)
        {
            TimeSpan? byTime = options.TimeLimit is TimeSpan limit ? (limit > elapsed ? limit - elapsed : TimeSpan.Zero) : null;
            TimeSpan? byTrials = null;
            double[] spent;
            lock (finished)
            {
                spent = [.. durations];
            }

            if (options.MaxTrials is int max && spent.Length > 0)
            {
                double perTrial = spent.Average() / Math.Max(1, options.Workers);
                byTrials = TimeSpan.FromSeconds(Math.Max(0, max - count) * perTrial);
            }

            return (byTime, byTrials) switch
            {
                (TimeSpan a, TimeSpan b) => a < b ? a : b,
                (TimeSpan a, null) => a,
                (null, TimeSpan b) => b,
                _ => null,
            };
        }
    }
}
