using Tuner.Cli;
using Tuner.Cli.Infrastructure;

namespace Tuner.Cli.Tests;

/// <summary>Runs the real tuner command line in-process with captured output (as Spectre's CommandAppTester does).</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args)
    {
        TorchSharp.torch.set_num_threads(1);
        var output = new StringWriter();
        var error = new StringWriter();
        var cli = new CliContext(ConsoleFactory.Create(output, interactive: false), interactive: false, error, workingDirectory);
        int code = await TunerApp.RunAsync(args, cli, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
