using System.Globalization;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage;

/// <summary>The one rule both stores use to decide that a running trial's worker is gone (and the note that says why).</summary>
internal static class WorkerLiveness
{
    /// <summary>A running trial as read for the decision; <typeparamref name="THeartbeat"/> is the stored heartbeat as the store compares it.</summary>
    public sealed record Running<THeartbeat>(int Number, string? Worker, int Attempts, THeartbeat? Heartbeat, DateTimeOffset? HeartbeatAt);

    /// <summary>A trial to hand back: re-queued, or abandoned when it has used its attempts, with the note saying why.</summary>
    public sealed record Move<THeartbeat>(Running<THeartbeat> Trial, bool Abandon, string Note);

    /// <summary>Which running trials go back to the queue (or are abandoned), and the note for each.</summary>
    public static List<Move<THeartbeat>> Decide<THeartbeat>(
        IEnumerable<Running<THeartbeat>> running, DateTimeOffset now, TimeSpan staleAfter, int maxAttempts, Func<string, bool>? isWorkerAlive)
    {
        string at = SqliteValues.Timestamp(now);
        var alive = new Dictionary<string, bool>(StringComparer.Ordinal);
        var moves = new List<Move<THeartbeat>>();
        foreach (Running<THeartbeat> trial in running)
        {
            if (WhyGone(trial.Worker, trial.HeartbeatAt, now, staleAfter, isWorkerAlive, alive) is not string reason)
            {
                continue;
            }

            bool abandon = trial.Attempts >= maxAttempts;
            moves.Add(new Move<THeartbeat>(trial, abandon, abandon
                ? string.Create(CultureInfo.InvariantCulture, $"{reason}; abandoned at {at} after {trial.Attempts} attempts (at most {maxAttempts})")
                : string.Create(CultureInfo.InvariantCulture, $"{reason}; re-queued at {at} (attempt {trial.Attempts + 1} of {maxAttempts})")));
        }

        return moves;
    }

    /// <summary>Why a running trial's worker counts as gone, or null when it is alive: no heartbeat ever, a heartbeat
    /// older than <paramref name="staleAfter"/>, or <paramref name="isWorkerAlive"/> says so (answers cached in
    /// <paramref name="alive"/> per worker).</summary>
    private static string? WhyGone(
        string? worker, DateTimeOffset? heartbeat, DateTimeOffset now, TimeSpan staleAfter, Func<string, bool>? isWorkerAlive, Dictionary<string, bool> alive)
    {
        string name = worker ?? "(none)";
        if (heartbeat is not { } last)
        {
            return $"worker {name} never sent a heartbeat";
        }

        string lastText = SqliteValues.Timestamp(last);
        TimeSpan age = now - last;
        if (age > staleAfter)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"worker {name} sent no heartbeat for {age.TotalSeconds:0.#} s (last at {lastText}; limit {staleAfter.TotalSeconds:0.#} s)");
        }

        if (worker is not null && isWorkerAlive is not null)
        {
            if (!alive.TryGetValue(worker, out bool isAlive))
            {
                isAlive = isWorkerAlive(worker);
                alive[worker] = isAlive;
            }

            if (!isAlive)
            {
                return $"worker {name} stopped (last heartbeat at {lastText})";
            }
        }

        return null;
    }
}
