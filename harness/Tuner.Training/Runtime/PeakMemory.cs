namespace Tuner.Training.Runtime;

/// <summary>Peak resident set size of this process (Linux VmHWM), resettable per trial where the kernel allows.</summary>
public static class PeakMemory
{
    /// <summary>Resets the high-water mark (writes 5 to /proc/self/clear_refs); a no-op where not permitted.</summary>
    public static void Reset()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Peak RSS in bytes; falls back to the process's peak working set.</summary>
    public static long PeakRssBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
