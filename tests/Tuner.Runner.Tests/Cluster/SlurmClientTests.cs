using System.Diagnostics;
using Tuner.Core.Errors;
using Tuner.Runner.Cluster;

namespace Tuner.Runner.Tests.Cluster;

/// <summary>The job script and sbatch's argument list (the array on a real Slurm is tested in Tuner.Cli.Tests/Slurm).</summary>
public sealed class SlurmClientTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("$(touch pwned)`touch pwned`;rm -rf x; echo \"$HOME\" \\ *")]
    [InlineData("two\nlines")]
    public async Task Script_EveryWordReachesTheProgramExactlyAsGiven(string word)
    {
        string dir = Directory.CreateTempSubdirectory("tuner-script").FullName;
        try
        {
            string script = SlurmClient.Script(["/usr/bin/printf", "%s|", word, "--x"]);
            string path = Path.Combine(dir, "job.sh");
            await File.WriteAllTextAsync(path, script);
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, WorkingDirectory = dir };
            start.ArgumentList.Add(path);
            using Process process = Process.Start(start)!;
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(word + "|--x|", output);
            Assert.Single(Directory.GetFiles(dir)); // nothing was created by the word
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void SbatchArguments_AllOptionsAsSeparateArgumentsAndTheOutputPercentEscaped()
    {
        var request = new SlurmArrayRequest
        {
            JobName = "tuner-s",
            Tasks = 4,
            MaxRunning = 2,
            CpusPerTask = 3,
            GpusPerTask = 1,
            TimeLimit = TimeSpan.FromMinutes(90.5),
            Partition = "gpu",
            Account = "lab",
            ExtraArguments = ["--mem=8G"],
            OutputDirectory = "/data/100%/slurm",
            WorkingDirectory = "/data/work",
            Command = ["tuner"],
        };
        Assert.Equal(
            ["--parsable", "--array=0-3%2", "--job-name=tuner-s", "--output=/data/100%%/slurm/%x-%A_%a.out", "--export=ALL", "--signal=B:TERM@60",
             "--chdir=/data/work", "--cpus-per-task=3", "--gres=gpu:1", "--time=91", "--partition=gpu", "--account=lab", "--mem=8G"],
            SlurmClient.SbatchArguments(request));
    }

    [Theory]
    [InlineData("--array=0-3", "tuner sets --array itself")]
    [InlineData("-a", "tuner sets --array itself")]
    [InlineData("--export=NONE", "tuner sets --export itself")]
    [InlineData("-pdebug", "tuner sets --partition itself; use --partition NAME")]
    [InlineData("--time=10", "use --job-time DURATION")]
    [InlineData("--wrap=id", "tuner sets --wrap itself")]
    [InlineData("mem=8G", "is not one sbatch option")]
    [InlineData("--mem 8G\n--x", "is not one sbatch option")]
    public void CheckExtraArguments_RefusesWhatTunerSetsAndNonOptions(string argument, string expected)
    {
        var error = Assert.Throws<TunerInputException>(() => SlurmClient.CheckExtraArguments([argument]));
        OneLineAssert.Message(error, expected);
    }

    [Fact]
    public void CheckExtraArguments_AcceptsOtherOptions() =>
        SlurmClient.CheckExtraArguments(["--mem=8G", "--qos=short", "--constraint=a100", "-N1", "--exclusive"]);
}
