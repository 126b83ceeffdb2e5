namespace Tuner.Tests;

internal static class OneLineAssert
{
    /// <summary>Asserts the message is a single line and contains every fragment (ordinal).</summary>
    public static void Message(Exception exception, params string[] fragments)
    {
        string message = exception.Message;
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, message, StringComparison.Ordinal);
        }
    }
}
