namespace Tuner.Cli.Infrastructure;

/// <summary>
/// A command that ran but did not do its job (e.g. every trial of a search failed): one line on stderr and
/// <see cref="ExitCode"/>, with whatever was already recorded kept.
/// </summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public CommandFailedException()
        : this("the command failed", ExitCodes.TrialFailed)
    {
    }

    public CommandFailedException(string message)
        : this(message, ExitCodes.TrialFailed)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.TrialFailed;

    public int ExitCode { get; }
}
