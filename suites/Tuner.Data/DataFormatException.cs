namespace Tuner.Data;

/// <summary>
/// A data file is not in the expected format. The message is one line: the file (with line and column where they
/// apply), the problem, and what to do about it, e.g. <c>/data/t.csv:12:3: the cell in column 3 is not a number; ...</c> (never the file's content: a mistaken path may point at a secret file).
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException()
    {
    }

    public DataFormatException(string message)
        : base(OneLine.Of(message))
    {
    }

    public DataFormatException(string message, Exception innerException)
        : base(OneLine.Of(message), innerException)
    {
    }

    /// <summary>Builds the message <c>file[:line[:column]]: problem; remedy</c>.</summary>
    /// <param name="filePath">The file as the user named it.</param>
    /// <param name="line">1-based line number, or null when the problem is not on one line.</param>
    /// <param name="column">1-based column (cell) number, or null.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="remedy">What to do about it.</param>
    /// <param name="innerException">The low-level error, if any.</param>
    public DataFormatException(string filePath, int? line, int? column, string problem, string remedy, Exception? innerException = null)
        : base(OneLine.Of($"{Location(filePath, line, column)}: {problem}; {remedy}"), innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
    }

    /// <summary>The file the problem is in, when known.</summary>
    public string? FilePath { get; }

    /// <summary>1-based line of the problem, when it is on one line.</summary>
    public int? Line { get; }

    /// <summary>1-based column (cell number) of the problem, when it is in one cell.</summary>
    public int? Column { get; }

    private static string Location(string filePath, int? line, int? column) =>
        (line, column) switch
        {
            (null, _) => filePath,
            (int l, null) => $"{filePath}:{l}",
            (int l, int c) => $"{filePath}:{l}:{c}",
        };
}
