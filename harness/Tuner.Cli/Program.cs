using Tuner.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Training.Runtime;

TorchRuntime.ConfigureNativeEnvironment(); // before libtorch loads: see the method

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

bool interactive = ConsoleFactory.IsInteractive;
var cli = new CliContext(ConsoleFactory.Create(), interactive, Console.Error, Environment.CurrentDirectory);
return await TunerApp.RunAsync(args, cli, cancellation.Token).ConfigureAwait(false);
