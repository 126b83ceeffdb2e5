using System.Globalization;

namespace Tuner.Data;

/// <summary>
/// Parses numeric CSV cells (invariant culture) and reports bad cells as <see cref="DataFormatException"/>, by line and
/// column: a message never quotes the file's content (a mistaken path to a secret file must not end up in logs).
/// </summary>
internal static class CellParser
{
    public static float Feature(string cell, string path, int line, int column, string columnName)
    {
        if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw new DataFormatException(path, line, column,
                $"the cell in column {column} is not a number",
                "write numbers in invariant culture (e.g. 1.5 or -2e-3), or make this column the label column");
        }

        if (!float.IsFinite(value))
        {
            throw new DataFormatException(path, line, column,
                $"the cell in column {column} is not a finite 32-bit number (NaN, infinity or out of range)",
                "replace it with a finite value or drop the row");
        }

        return value;
    }

    public static bool IsNumber(string cell) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Parses a whole number, also accepting an integral decimal such as <c>3.0</c>.</summary>
    public static bool TryInteger(string cell, out long value)
    {
        if (long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 1e15)
        {
            value = (long)d;
            return true;
        }

        value = 0;
        return false;
    }
}
