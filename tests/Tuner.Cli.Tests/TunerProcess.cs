using System.Diagnostics;
using Tuner.Storage;
using Tuner.Storage.Sqlite;

namespace Tuner.Cli.Tests;

/// <summary>
/// The real tuner as a child process (<c>dotnet tuner.dll ARGS</c>), for tests that signal or kill it, with a wait on
/// the study store it writes.
/// </summary>
internal static class TunerProcess
{
    /// <summary>Starts tuner with <paramref name="args"/> in <paramref name="workingDirectory"/>, output redirected.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tuner.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>
    /// Polls study 1 in the SQLite store at <paramref name="store"/> until <paramref name="condition"/> holds for its trials;
    /// fails when <paramref name="process"/> ends first or two minutes pass.
    /// </summary>
    public static async Task WaitForTrialsAsync(string store, Process process, Func<IReadOnlyList<StoredTrial>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "tuner ended before the study reached the awaited state");
            if (File.Exists(store))
            {
                await using var storage = await SqliteStudyStorage.OpenAsync(store);
                IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(1, CancellationToken.None);
                if (condition(trials))
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the study never reached the awaited state");
    }
}
