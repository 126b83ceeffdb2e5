using System.Globalization;
using Tuner.Runner.Search;

namespace Tuner.Runner.Cluster;

/// <summary>
/// A Slurm job array of <c>tuner worker --study</c> tasks as a <see cref="IWorkerPool"/>: submitted by
/// <see cref="StartAsync"/>, watched with <c>squeue</c>, cancelled with <c>scancel</c>. An array that ends with work
/// left (its tasks were preempted, timed out or cancelled) is replaced by a new one when it finished at least one trial
/// since it was submitted; one that finished none (a task cannot start: a wrong path on the nodes, a store the nodes
/// cannot reach) stops the study with <see cref="WorkersLostException"/> quoting its log, rather than submitting forever.
/// </summary>
public sealed class SlurmWorkerPool : IWorkerPool
{
    /// <summary>Arrays submitted in all, at most (the first and its replacements).</summary>
    public const int MaxArrays = 20;

    private readonly SlurmClient _client;
    private readonly SlurmArrayRequest _request;
    private readonly IProgress<string>? _log;
    private readonly List<string> _arrays = [];
    private readonly TimeSpan _statusInterval;
    private readonly TimeProvider _time;
    private int _finishedAtSubmit;
    private string? _lastStatus;
    private SlurmArrayStatus? _status;
    private long _statusAt;

    /// <param name="client">Slurm's commands.</param>
    /// <param name="request">The array to submit (and to submit again when it ended with work left).</param>
    /// <param name="log">Gets a line when the array is submitted, changes state or is cancelled.</param>
    /// <param name="statusInterval">squeue is asked at most this often (default 10 s: schedulers ask for gentle polling).</param>
    /// <param name="time">The clock.</param>
    public SlurmWorkerPool(SlurmClient client, SlurmArrayRequest request, IProgress<string>? log, TimeSpan? statusInterval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        _client = client;
        _request = request;
        _log = log;
        _statusInterval = statusInterval ?? TimeSpan.FromSeconds(10);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The arrays submitted so far (job ids), the current one last.</summary>
    public IReadOnlyList<string> Arrays => _arrays;

    /// <summary>The current array's job id (null before <see cref="StartAsync"/>).</summary>
    public string? JobId => _arrays.Count == 0 ? null : _arrays[^1];

    /// <summary>Where task <paramref name="task"/> of array <paramref name="jobId"/> writes its output.</summary>
    public string LogPath(string jobId, int task) =>
        Path.Combine(_request.OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"{_request.JobName}-{jobId}_{task}.out"));

    /// <summary>Submits the array; <paramref name="finishedTrials"/> is the study's count now.</summary>
    public async Task<string> StartAsync(int finishedTrials, CancellationToken cancellationToken)
    {
        string id = await _client.SubmitAsync(_request, cancellationToken).ConfigureAwait(false);
        _arrays.Add(id);
        _finishedAtSubmit = finishedTrials;
        _lastStatus = null;
        _status = null;
        _log?.Report(string.Create(CultureInfo.InvariantCulture,
            $"submitted Slurm array {id}: {_request.Tasks} tasks of tuner worker{(_request.MaxRunning is int p ? $", at most {p} at once" : string.Empty)}; logs {LogPath(id, 0).Replace("_0.out", "_*.out", StringComparison.Ordinal)}"));
        return id;
    }

    public async Task<string> CheckAsync(int finishedTrials, bool workLeft, CancellationToken cancellationToken)
    {
        string id = JobId ?? throw new InvalidOperationException("the Slurm array was not submitted");
        // The first check comes a second after sbatch; later ones reuse squeue's answer for the status interval.
        if (_status is null || _time.GetElapsedTime(_statusAt) >= _statusInterval)
        {
            _status = await _client.StatusAsync(id, cancellationToken).ConfigureAwait(false);
            _statusAt = _time.GetTimestamp();
        }

        SlurmArrayStatus status = _status;
        string text = status.ToString();
        if (text != _lastStatus)
        {
            _log?.Report(text);
            _lastStatus = text;
        }

        if (status.Alive || !workLeft)
        {
            return text;
        }

        if (finishedTrials > _finishedAtSubmit && _arrays.Count < MaxArrays)
        {
            _log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"Slurm array {id} ended with work left after finishing {finishedTrials - _finishedAtSubmit} trials (preempted, out of time or cancelled): submitting another"));
            await StartAsync(finishedTrials, cancellationToken).ConfigureAwait(false);
            return text;
        }

        string log = LogPath(id, 0);
        string said = LastLine(log) is string line ? $"; its task 0 log {log} ends with: {line}" : $"; see its logs ({log} and the others)";
        throw new WorkersLostException(string.Create(CultureInfo.InvariantCulture,
            $"Slurm array {id} ended without finishing a trial of the study ({_arrays.Count} arrays submitted){said}. Finished trials are kept: fix the cause and run the same command again"));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (JobId is string id)
        {
            await _client.CancelAsync(id, cancellationToken).ConfigureAwait(false);
            _log?.Report($"cancelled Slurm array {id}");
        }
    }

    private static string? LastLine(string path)
    {
        try
        {
            string? line = File.ReadLines(path).LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            return line is null ? null : line.Length <= 300 ? line : line[..300] + "...";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
