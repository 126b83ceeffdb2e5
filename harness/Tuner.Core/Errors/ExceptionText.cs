namespace Tuner.Core.Errors;

/// <summary>How an exception from code Tuner does not own (a trial, a user's workload) is told in one line.</summary>
public static class ExceptionText
{
    /// <summary>The first line of <paramref name="message"/>, trimmed.</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int newline = message.IndexOfAny(['\r', '\n']);
        return (newline >= 0 ? message[..newline] : message).Trim();
    }

    /// <summary><c>TypeName: first line of the message</c>.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
    }
}
