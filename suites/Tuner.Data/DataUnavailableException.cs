namespace Tuner.Data;

/// <summary>
/// A dataset is not on disk and could not be fetched. The message is one line: which dataset, where it was looked
/// for, and which files to put where or which command to run.
/// </summary>
public sealed class DataUnavailableException : Exception
{
    public DataUnavailableException()
    {
    }

    public DataUnavailableException(string message)
        : base(OneLine.Of(message))
    {
    }

    public DataUnavailableException(string message, Exception innerException)
        : base(OneLine.Of(message), innerException)
    {
    }
}
