using Tuner.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Training.Runtime;

TorchRuntime.ConfigureNativeEnvironment(); // before libtorch loads: see the method

using var cancellation = new CancellationTokenSource();
bool interactive = ConsoleFactory.IsInteractive;
var cli = new CliContext(ConsoleFactory.Create(), interactive, Console.Error, Environment.CurrentDirectory);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// SIGTERM (schedulers, docker stop, Slurm preemption) is handled like Ctrl-C: the running trial is handed back at once,
// records are kept, and the command exits 143 with one line instead of dying silently.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cli.Terminated = true;
    cancellation.Cancel();
});
return await TunerApp.RunAsync(args, cli, cancellation.Token).ConfigureAwait(false);
