using System.Globalization;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage;

/// <summary>The one rule both stores use to decide that a running trial's worker is gone (and the note that says why).</summary>
internal static class WorkerLiveness
{
    /// <summary>Why a running trial's worker counts as gone, or null when it is alive: no heartbeat ever, a heartbeat
    /// older than <paramref name="staleAfter"/>, or <paramref name="isWorkerAlive"/> says so (answers cached in
    /// <paramref name="alive"/> per worker).</summary>
    public static string? WhyGone(
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
