namespace Tuner.Data;

/// <summary>
/// Splits one CSV line into cells. A cell may be wrapped in double quotes (<c>""</c> inside stands for one quote);
/// quoted cells cannot span lines. Unquoted cells are returned as written (callers trim where it matters).
/// </summary>
internal static class CsvLine
{
    public static void Split(string line, char delimiter, string path, int lineNumber, List<string> cells)
    {
        cells.Clear();
        int i = 0;
        while (true)
        {
            int cellNumber = cells.Count + 1;
            int start = i;
            while (delimiter != ' ' && start < line.Length && line[start] == ' ')
            {
                start++;
            }

            if (start < line.Length && line[start] == '"')
            {
                var sb = new System.Text.StringBuilder();
                int j = start + 1;
                while (true)
                {
                    if (j >= line.Length)
                    {
                        throw new DataFormatException(path, lineNumber, cellNumber, "quoted cell has no closing quote",
                            "close the quote on the same line (quoted cells cannot span lines; write \"\" for a quote inside)");
                    }

                    if (line[j] == '"')
                    {
                        if (j + 1 < line.Length && line[j + 1] == '"')
                        {
                            sb.Append('"');
                            j += 2;
                            continue;
                        }

                        j++;
                        break;
                    }

                    sb.Append(line[j]);
                    j++;
                }

                while (delimiter != ' ' && j < line.Length && line[j] == ' ')
                {
                    j++;
                }

                cells.Add(sb.ToString());
                if (j >= line.Length)
                {
                    return;
                }

                if (line[j] != delimiter)
                {
                    throw new DataFormatException(path, lineNumber, cellNumber, "text after the closing quote of a quoted cell",
                        $"put the delimiter '{delimiter}' right after the closing quote, or write \"\" for a quote inside the cell");
                }

                i = j + 1;
                continue;
            }

            int end = line.IndexOf(delimiter, i);
            if (end < 0)
            {
                cells.Add(line[i..]);
                return;
            }

            cells.Add(line[i..end]);
            i = end + 1;
        }
    }
}
