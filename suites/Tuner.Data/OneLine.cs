using System.Text;

namespace Tuner.Data;

/// <summary>Folds text onto one line for error messages (line breaks and tabs become spaces, runs collapse).</summary>
internal static class OneLine
{
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("\r\n\t") < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        bool lastWasSpace = false;
        foreach (char ch in text)
        {
            bool space = ch is '\r' or '\n' or '\t' or ' ';
            if (space && lastWasSpace)
            {
                continue;
            }

            sb.Append(space ? ' ' : ch);
            lastWasSpace = space;
        }

        return sb.ToString().Trim();
    }

    /// <summary>Quotes a cell for a message, shortened to <paramref name="max"/> characters.</summary>
    public static string Quote(string cell, int max = 40)
    {
        string shown = cell.Length <= max ? cell : string.Concat(cell.AsSpan(0, max), "...");
        return "\"" + Of(shown) + "\"";
    }
}
