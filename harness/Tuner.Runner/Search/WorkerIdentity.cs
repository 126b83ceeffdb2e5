using System.Diagnostics;
using System.Globalization;

namespace Tuner.Runner.Search;

/// <summary>
/// Who runs a trial: <c>host/pid/start</c>, where start is the process start time in ticks (so a re-used pid is not
/// mistaken for the original process), with <c>/k</c> appended for the k-th worker loop of a process. <see cref="IsAlive"/> answers for workers on this host only; others are judged
/// by their heartbeat.
/// </summary>
public static class WorkerIdentity
{
    private static readonly Lazy<string> CurrentId = new(() =>
    {
        using var process = Process.GetCurrentProcess();
        return Format(Environment.MachineName, process.Id, process.StartTime.ToUniversalTime().Ticks);
    });

    public static string Current => CurrentId.Value;

    public static string Format(string host, int pid, long startTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"{host}/{pid}/{startTicks}");

    /// <summary>False when <paramref name="workerId"/> names a process of this host that no longer runs; true otherwise (alive, or another host's).</summary>
    public static bool IsAlive(string workerId)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        string[] parts = workerId.Split('/');
        if (parts.Length < 3 || parts[0] != Environment.MachineName ||
            !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid) ||
            !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ticks))
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime().Ticks == ticks;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // exited while we looked
        }
    }
}
