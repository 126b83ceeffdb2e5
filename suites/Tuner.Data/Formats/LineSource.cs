namespace Tuner.Data;

/// <summary>Yields the non-blank lines of a text file with their 1-based line numbers.</summary>
internal sealed class LineSource(TextReader reader)
{
    private int _lineNumber;

    public bool Next(out string line, out int lineNumber)
    {
        while (reader.ReadLine() is { } text)
        {
            _lineNumber++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                line = text;
                lineNumber = _lineNumber;
                return true;
            }
        }

        line = string.Empty;
        lineNumber = _lineNumber;
        return false;
    }
}
