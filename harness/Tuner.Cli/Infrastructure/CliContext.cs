using Spectre.Console;

namespace Tuner.Cli.Infrastructure;

/// <summary>What commands get injected: the console, whether it is an interactive terminal, where to report errors, and the base directory for relative paths.</summary>
public sealed class CliContext(IAnsiConsole console, bool interactive, TextWriter error, string baseDirectory)
{
    public IAnsiConsole Console { get; } = console;

    public bool Interactive { get; } = interactive;

    public TextWriter Error { get; } = error;

    public string BaseDirectory { get; } = baseDirectory;

    /// <summary>Set when the cancellation came from SIGTERM rather than Ctrl-C (the exit code and message differ).</summary>
    public bool Terminated { get; set; }
}
