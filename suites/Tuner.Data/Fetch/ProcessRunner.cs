using System.Diagnostics;

namespace Tuner.Data;

/// <summary>
/// Runs a program directly (no shell; arguments through <see cref="ProcessStartInfo.ArgumentList"/>) with the C locale,
/// capturing stdout and stderr. Cancellation kills the process tree.
/// </summary>
internal static class ProcessRunner
{
    /// <param name="executable">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="ct">Cancels (kills) it.</param>
    /// <param name="standardOutputFile">When given, stdout is written to this file byte for byte (and the result's stdout is empty).</param>
    /// <param name="unset">Environment variables removed for the child.</param>
    public static async Task<ProcessResult> RunAsync(
        string executable, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken ct,
        string? standardOutputFile = null, IReadOnlyList<string>? unset = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";
        foreach (string name in unset ?? [])
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {executable}.");
        Task<string> stdout = standardOutputFile is null
            ? process.StandardOutput.ReadToEndAsync(CancellationToken.None)
            : CopyToFileAsync(process.StandardOutput.BaseStream, standardOutputFile);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }

            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static async Task<string> CopyToFileAsync(Stream stdout, string path)
    {
        await using (FileStream file = File.Create(path))
        {
            await stdout.CopyToAsync(file).ConfigureAwait(false);
        }

        return string.Empty;
    }
}
