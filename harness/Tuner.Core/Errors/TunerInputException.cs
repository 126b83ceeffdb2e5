namespace Tuner.Core.Errors;

/// <summary>
/// Bad input from the user (a flag, a file, a suite definition). The message is one line that names the problem and
/// what to do; the CLI prints it without a stack trace and exits with <c>ExitCodes.BadInput</c>.
/// </summary>
public sealed class TunerInputException : Exception
{
    public TunerInputException(string message)
        : base(message)
    {
    }

    public TunerInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TunerInputException()
    {
    }
}
