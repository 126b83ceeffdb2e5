namespace Tuner.Data.Tests;

internal static class ErrorAssert
{
    /// <summary>Asserts the message is one line, starts with file[:line[:column]]: and contains every fragment.</summary>
    public static T OneLine<T>(T exception, string location, params string[] fragments)
        where T : Exception
    {
        string message = exception.Message;
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        Assert.StartsWith(location + ": ", message, StringComparison.Ordinal);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, message, StringComparison.Ordinal);
        }

        return exception;
    }
}
