using System.Diagnostics;
using System.Globalization;

namespace Tuner.Runner.Search;

/// <summary>
/// Who runs a trial: <c>host/pid/start</c>, with <c>/k</c> appended for the k-th worker loop of a process. On Linux
/// <c>start</c> is the process start time in clock ticks since boot from <c>/proc/PID/stat</c> (exact and the same
/// whoever reads it, so a re-used pid is never mistaken for the original process); elsewhere it is
/// <c>Process.StartTime</c> in ticks, compared with a tolerance (.NET derives it from the boot time, which it recomputes
/// on every call). <see cref="IsAlive"/> answers for workers on this host only; others are judged by their heartbeat.
/// </summary>
public static class WorkerIdentity
{
    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(2);

    private static readonly Lazy<string> CurrentId = new(() =>
    {
        using var process = Process.GetCurrentProcess();
        return Format(Environment.MachineName, process.Id, ProcStartTicks(process.Id) ?? process.StartTime.ToUniversalTime().Ticks);
    });

    public static string Current => CurrentId.Value;

    public static string Format(string host, int pid, long start) =>
        string.Create(CultureInfo.InvariantCulture, $"{host}/{pid}/{start}");

    /// <summary>False when <paramref name="workerId"/> names a process of this host that no longer runs; true otherwise (alive, or another host's).</summary>
    public static bool IsAlive(string workerId)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        string[] parts = workerId.Split('/');
        if (parts.Length < 3 || parts[0] != Environment.MachineName ||
            !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid) ||
            !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long start))
        {
            return true;
        }

        if (Directory.Exists("/proc/self"))
        {
            return ProcStartTicks(pid) == start; // null (no such process) is dead; another start time is a re-used pid
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - start) <= StartTimeTolerance.Ticks;
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

    /// <summary>Field 22 of <c>/proc/PID/stat</c> (start time in clock ticks since boot), or null without such a process or procfs.</summary>
    private static long? ProcStartTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')'); // the command name may contain spaces and parentheses
            string[] fields = stat[(close + 2)..].Split(' ');
            return long.Parse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture); // fields[0] is field 3
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
