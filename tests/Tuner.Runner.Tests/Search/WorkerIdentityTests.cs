using System.Diagnostics;
using Tuner.Runner.Search;

namespace Tuner.Runner.Tests.Search;

public sealed class WorkerIdentityTests
{
    [Fact]
    public void IsAlive_ThisProcessAskedManyTimes_IsAlwaysAlive()
    {
        // .NET recomputes Process.StartTime from the boot time on each call; a live worker must never look dead.
        for (int i = 0; i < 200; i++)
        {
            Assert.True(WorkerIdentity.IsAlive(WorkerIdentity.Current));
            Assert.True(WorkerIdentity.IsAlive(WorkerIdentity.Current + "/3"));
        }
    }

    [Fact]
    public void IsAlive_AnotherLiveProcessOfThisHost_IsAliveUntilItExits()
    {
        using Process sleeper = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        string id = Id(sleeper.Id);
        try
        {
            Assert.True(WorkerIdentity.IsAlive(id));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }

        Assert.False(WorkerIdentity.IsAlive(id));
    }

    [Fact]
    public void IsAlive_ReusedPidWithAnotherStartTime_IsDead_AndOtherHostsAreTrusted()
    {
        string current = WorkerIdentity.Current;
        string[] parts = current.Split('/');

        Assert.False(WorkerIdentity.IsAlive($"{parts[0]}/{parts[1]}/{long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 12345}"));
        Assert.True(WorkerIdentity.IsAlive("another-host/1/1"));
    }

    /// <summary>The id another process would give itself, built the way <see cref="WorkerIdentity.Current"/> is.</summary>
    private static string Id(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string start = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        return $"{Environment.MachineName}/{pid}/{start}";
    }
}
