using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Statistics;
using Tuner.Core.Trials;
using Tuner.Search.Recommendations;
using Tuner.Search.Tuners;
using Tuner.Storage;

namespace Tuner.Runner.Search;

/// <summary>How the recommender validates.</summary>
public sealed record RecommendOptions
{
    /// <summary>How many of the search's best distinct configurations are re-run.</summary>
    public int Candidates { get; init; } = 3;

    public int MinSeeds { get; init; } = 3;

    /// <summary>More seeds are added (up to this) while the chosen one's interval is wider than <see cref="MaxRelativeHalfWidth"/>.</summary>
    public int MaxSeeds { get; init; } = 8;

    public double MaxRelativeHalfWidth { get; init; } = 0.15;

    /// <summary>Validation seeds are FirstSeed, FirstSeed + 1, ...: never the search's training seed.</summary>
    public long FirstSeed { get; init; } = 1000;

    /// <summary>Medians within this fraction of the fastest count as a tie, which goes to fewer techniques.</summary>
    public double TieTolerance { get; init; } = 0.05;

    /// <summary>Stop adding seeds (beyond <see cref="MinSeeds"/>) after this much time.</summary>
    public TimeSpan? TimeLimit { get; init; }
}

/// <summary>
/// Re-runs the search's best configurations and the suite's baseline recipe on fresh seeds (seed-major: for each
/// seed, every configuration, so drift of the machine hits all alike), at least <see cref="RecommendOptions.MinSeeds"/>
/// and more while the interval is wide, then picks the fastest median time-to-target (ties to fewer techniques) with
/// its bootstrap interval and its speed-up over the baseline. Validation runs are trials of a companion study
/// (<c>NAME@validate</c>) in the same store, so an interrupted recommendation resumes without repeating them.
/// </summary>
public sealed class Recommender
{
    public const string ValidationSuffix = "@validate";
    private readonly IStudyStorage _storage;
    private readonly ITrialRunner _runner;
    private readonly TimeProvider _time;
    private readonly string _workerId;

    private readonly Func<CancellationToken, Task<IWorkerPool>>? _remoteWorkers;
    private IWorkerPool? _pool;

    /// <param name="storage">The store of the search and of its validation study.</param>
    /// <param name="runner">Runs validation trials here (unless <paramref name="remoteWorkers"/> is given).</param>
    /// <param name="time">The clock.</param>
    /// <param name="workerId">Who claims the validation trials run here.</param>
    /// <param name="remoteWorkers">
    /// Starts workers elsewhere (a Slurm job array joining <c>NAME@validate</c>) once the validation study exists: the
    /// validation trials are then queued in batches (the first <see cref="RecommendOptions.MinSeeds"/> seeds at once,
    /// then a seed at a time) and run by them, and the pool is stopped at the end.
    /// </param>
    public Recommender(IStudyStorage storage, ITrialRunner runner, TimeProvider? time = null, string? workerId = null, Func<CancellationToken, Task<IWorkerPool>>? remoteWorkers = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(runner);
        _storage = storage;
        _runner = runner;
        _time = time ?? TimeProvider.System;
        _workerId = workerId ?? WorkerIdentity.Current;
        _remoteWorkers = remoteWorkers;
    }

    public async Task<Recommendation> RecommendAsync(
        SearchOptions search,
        RecommendOptions options,
        IProgress<string>? log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(options);
        long started = _time.GetTimestamp();
        var studyRunner = new StudyRunner(_storage, _runner, _time, _workerId);
        StudySession session = await studyRunner.OpenAsync(search, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredTrial> trials = await _storage.GetTrialsAsync(session.Study.Id, cancellationToken).ConfigureAwait(false);
        TrialResult[] results = [.. trials.Select(session.ToResult).OfType<TrialResult>()];
        TrialResult? best = session.Objective.Rank(results).FirstOrDefault();
        TargetSpec target = search.Suite.Target with { Value = session.Objective.TargetValue };
        TrainingConfiguration baseline = search.Suite.Baseline;

        var candidates = new List<(string Label, int? Trial, TrainingConfiguration Configuration)> { ("baseline", null, baseline) };
        foreach (TrialResult r in session.Objective.Rank(results.Where(r => r.Reached && !r.Broken)))
        {
            if (candidates.Count > options.Candidates)
            {
                break;
            }

            if (candidates.TrueForAll(c => !c.Configuration.Equals(r.Proposal.Candidate.Configuration)))
            {
                candidates.Add(($"candidate {candidates.Count}", r.Number, r.Proposal.Candidate.Configuration));
            }
        }

        if (candidates.Count == 1)
        {
            log?.Report("no configuration of the search reached the target: nothing to validate");
            return new Recommendation
            {
                Study = search.StudyName,
                Suite = search.Suite.Name,
                Budget = search.Budget.ToString(),
                Target = target,
                Baseline = CandidateChoice.Summarise("baseline", null, baseline, [], null),
                Validated = [],
                BestSearchTrial = best,
                SearchTrials = results.Length,
                Reason = results.Length == 0
                    ? "the search ran no trial"
                    : string.Create(CultureInfo.InvariantCulture, $"no configuration reached {target} in {results.Length} search trials"),
            };
        }

        StudyInfo validation = await _storage.OpenStudyAsync(
            StudyRunner.Definition(search) with { Name = search.StudyName + ValidationSuffix, Tuner = "validate" },
            cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredTrial> done = await _storage.GetTrialsAsync(validation.Id, cancellationToken).ConfigureAwait(false);
        var reuse = done.Where(t => t.State == TrialState.Finished && t.Record is not null)
            .GroupBy(t => (t.Plan.Configuration.ToString(), t.Plan.Seed))
            .ToDictionary(g => g.Key, g => g.First().Record!);

        var runs = candidates.ToDictionary(c => c.Label, _ => new List<TrialRecord>(), StringComparer.Ordinal);
        var active = candidates.ToList();
        for (int i = 0; i < options.MaxSeeds; i++)
        {
            // Remote workers get the first MinSeeds seeds as one batch (they run side by side); here, one run at a time.
            int seeds = _remoteWorkers is not null && i == 0 ? Math.Min(options.MinSeeds, options.MaxSeeds) : 1;
            var batch = new List<(string Label, TrainingConfiguration Configuration, long Seed)>();
            for (int k = 0; k < seeds; k++)
            {
                batch.AddRange(active.Select(c => (c.Label, c.Configuration, options.FirstSeed + i + k)));
            }

            var toRun = batch.Where(b => !reuse.ContainsKey((b.Configuration.ToString(), b.Seed))).Select(b => (b.Configuration, b.Seed)).Distinct().ToList();
            Dictionary<(string, long), TrialRecord> fresh = await RunBatchAsync(validation.Id, search, toRun, session.Objective.TargetValue, cancellationToken).ConfigureAwait(false);
            foreach ((string label, TrainingConfiguration configuration, long seed) in batch)
            {
                bool cached = reuse.TryGetValue((configuration.ToString(), seed), out TrialRecord? record);
                record ??= fresh[(configuration.ToString(), seed)];
                runs[label].Add(record);
                log?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"seed {seed} {label}: {record.Status} {(record.TimeToTargetSeconds is double t ? $"{t:0.00}s" : "-")}{(cached ? " (recorded earlier)" : string.Empty)}"));
            }

            i += seeds - 1;
            if (i + 1 < options.MinSeeds)
            {
                continue;
            }

            List<ValidatedCandidate> summary = [.. active.Select(c => CandidateChoice.Summarise(c.Label, c.Trial, c.Configuration, runs[c.Label], runs["baseline"]))];
            (ValidatedCandidate? chosen, _) = CandidateChoice.Choose(summary, options.TieTolerance);
            bool outOfTime = options.TimeLimit is TimeSpan limit && _time.GetElapsedTime(started) >= limit;
            if (chosen is null || chosen.TimeToTarget.RelativeHalfWidth <= options.MaxRelativeHalfWidth || outOfTime)
            {
                break;
            }

            // Keep re-running only what can still win: the baseline and candidates whose interval reaches the chosen one's.
            active = [.. active.Where(c => c.Label == "baseline" || c.Label == chosen.Label ||
                summary.First(s => s.Label == c.Label).TimeToTarget.Low <= chosen.TimeToTarget.High)];
        }

        if (_pool is not null)
        {
            await _pool.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _pool = null;
        }

        List<ValidatedCandidate> validated = [.. candidates.Select(c => CandidateChoice.Summarise(c.Label, c.Trial, c.Configuration, runs[c.Label], runs["baseline"]))];
        (ValidatedCandidate? pick, string reason) = CandidateChoice.Choose(validated, options.TieTolerance);
        return new Recommendation
        {
            Study = search.StudyName,
            Suite = search.Suite.Name,
            Budget = search.Budget.ToString(),
            Target = target,
            Baseline = validated[0],
            Validated = validated,
            Chosen = pick,
            BestSearchTrial = best,
            SearchTrials = results.Length,
            Command = pick is null ? null : Command(search, pick, options.FirstSeed),
            Reason = reason,
        };
    }

    /// <summary>Runs the validation trials of one batch, here one after another, or by remote workers side by side.</summary>
    private async Task<Dictionary<(string, long), TrialRecord>> RunBatchAsync(
        long studyId, SearchOptions search, List<(TrainingConfiguration Configuration, long Seed)> runs, double target, CancellationToken cancellationToken)
    {
        var records = new Dictionary<(string, long), TrialRecord>();
        if (runs.Count == 0)
        {
            return records;
        }

        if (_remoteWorkers is null)
        {
            foreach ((TrainingConfiguration configuration, long seed) in runs)
            {
                records[(configuration.ToString(), seed)] = await RunAsync(studyId, search, configuration, seed, target, cancellationToken).ConfigureAwait(false);
            }

            return records;
        }

        try
        {
            // Queue what is not queued yet (an interrupted recommendation left some waiting or running: they count).
            IReadOnlyList<StoredTrial> existing = await _storage.GetTrialsAsync(studyId, cancellationToken).ConfigureAwait(false);
            var numbers = new Dictionary<(string, long), int>();
            foreach ((TrainingConfiguration configuration, long seed) in runs)
            {
                StoredTrial? queued = existing.FirstOrDefault(t => t.State is TrialState.Waiting or TrialState.Running &&
                    t.Plan.Seed == seed && t.Plan.Configuration.ToString() == configuration.ToString());
                numbers[(configuration.ToString(), seed)] = queued?.Number
                    ?? (await _storage.EnqueueTrialAsync(studyId, new TrialPlan(configuration, [], 1.0, "validate", seed), cancellationToken).ConfigureAwait(false)).Number;
            }

            _pool ??= await _remoteWorkers(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await _storage.RequeueAbandonedAsync(studyId, StudyRunner.StaleAfter, search.MaxAttempts, WorkerIdentity.IsAlive, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<StoredTrial> trials = await _storage.GetTrialsAsync(studyId, cancellationToken).ConfigureAwait(false);
                var byNumber = trials.ToDictionary(t => t.Number);
                if (numbers.Values.All(n => byNumber[n].State is TrialState.Finished or TrialState.Abandoned))
                {
                    foreach (((string, long) key, int number) in numbers)
                    {
                        StoredTrial trial = byNumber[number];
                        records[key] = trial.Record ?? throw new WorkersLostException(
                            $"validation trial {number} of study {search.StudyName}{ValidationSuffix} was abandoned after its workers stopped {trial.Attempts} times: {trial.Note}");
                    }

                    return records;
                }

                await _pool.CheckAsync(trials.Count(t => t.State == TrialState.Finished), workLeft: true, cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_pool is not null)
        {
            await _pool.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _pool = null;
            throw;
        }
    }

    private async Task<TrialRecord> RunAsync(long studyId, SearchOptions search, TrainingConfiguration configuration, long seed, double target, CancellationToken cancellationToken)
    {
        await _storage.EnqueueTrialAsync(studyId, new TrialPlan(configuration, [], 1.0, "validate", seed), cancellationToken).ConfigureAwait(false);
        StoredTrial trial = await _storage.ClaimTrialAsync(studyId, _workerId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("a validation trial just enqueued could not be claimed");
        var request = new TrialRequest
        {
            Suite = search.Suite,
            Configuration = trial.Plan.Configuration,
            Budget = search.Budget,
            Seed = trial.Plan.Seed,
            Host = search.Host,
            TargetValue = target,
        };
        TrialRecord record;
        try
        {
            record = await _runner.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _storage.ReleaseTrialAsync(studyId, trial.Number, _workerId, "handed back: the command was interrupted", CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await _storage.FinishTrialAsync(studyId, trial.Number, _workerId, record, CancellationToken.None).ConfigureAwait(false);
        return record;
    }

    /// <summary>The <c>tuner run</c> command line that reproduces a validated configuration on one of its seeds.</summary>
    public static string Command(SearchOptions search, ValidatedCandidate chosen, long seed)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(chosen);
        string suite = search.Suite.SourcePath is string path && !path.StartsWith(Tuner.Suites.Specs.SuiteCatalog.BuiltinDirectory, StringComparison.Ordinal) ? path : search.Suite.Name;
        var parts = new List<string> { "tuner", "run", "--suite", Quote(suite), "--budget", search.Budget.ToString() };
        if (search.TargetValue is double target)
        {
            parts.AddRange(["--target", target.ToString("R", CultureInfo.InvariantCulture)]);
        }

        parts.AddRange(["--seed", seed.ToString(CultureInfo.InvariantCulture)]);
        if (search.Host.Threads is int threads)
        {
            parts.AddRange(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        }

        foreach (string set in chosen.Configuration.ToSetArguments())
        {
            parts.AddRange(["--set", set]);
        }

        foreach (TechniqueSpec technique in chosen.Configuration.Techniques)
        {
            parts.AddRange(["--technique", Quote(technique.ToString())]);
        }

        return string.Join(" ", parts);
    }

    private static string Quote(string text) =>
        text.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' or '/' or ':' or '=' or ',') ? text : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
