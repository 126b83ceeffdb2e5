using System.Globalization;

namespace Tuner.Data;

/// <summary>
/// Reads a user classification table from CSV (gzip-compressed or plain): a header row, then one row per sample.
/// One column holds the label (by name or index); every other column must be numeric in invariant culture and finite.
/// Labels may be integers (classes ordered numerically) or text (classes ordered ordinally); either way the distinct
/// values, sorted, become class 0, 1, ... and keep their text as class names. Cells may be double-quoted (<c>""</c>
/// inside a quoted cell is a quote); blank lines are skipped. Errors name file:line[:column].
/// </summary>
public static class CsvTableReader
{
    public static NumericTable Read(string path) => Read(path, CsvTableOptions.Default);

    public static NumericTable Read(string path, CsvTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"The delimiter cannot be {OneLine.Quote(options.Delimiter.ToString())}.", nameof(options));
        }

        using var reader = DataFile.OpenText(path);
        var lines = new LineSource(reader);
        if (!lines.Next(out string headerText, out int headerLine))
        {
            throw new DataFormatException(path, null, null, "file is empty",
                "a table needs a header row naming the columns and at least one data row");
        }

        var cells = new List<string>();
        CsvLine.Split(headerText, options.Delimiter, path, headerLine, cells);
        string[] names = cells.Select(c => c.Trim()).ToArray();
        int labelIndex = FindLabelColumn(path, headerLine, names, options);
        if (names.Length < 2)
        {
            throw new DataFormatException(path, headerLine, null,
                $"the header has only the label column \"{names[labelIndex]}\"",
                $"add at least one numeric feature column, or check the delimiter (now '{options.Delimiter}')");
        }

        int featureCount = names.Length - 1;
        var features = new List<float>(4096);
        var rawLabels = new List<string>(256);
        while (lines.Next(out string text, out int line))
        {
            CsvLine.Split(text, options.Delimiter, path, line, cells);
            if (cells.Count != names.Length)
            {
                throw new DataFormatException(path, line, null,
                    $"expected {names.Length} cells as in the header, found {cells.Count}",
                    $"fix the row, quote cells that contain the delimiter, or check the delimiter (now '{options.Delimiter}')");
            }

            for (int c = 0; c < cells.Count; c++)
            {
                if (c != labelIndex)
                {
                    features.Add(CellParser.Feature(cells[c], path, line, c + 1, names[c]));
                }
            }

            string label = cells[labelIndex].Trim();
            if (label.Length == 0)
            {
                throw new DataFormatException(path, line, labelIndex + 1,
                    $"the label in column \"{names[labelIndex]}\" is empty", "every row needs a label");
            }

            rawLabels.Add(label);
        }

        if (rawLabels.Count == 0)
        {
            throw new DataFormatException(path, headerLine, null, "the header is followed by no data rows",
                "add at least one row per class below the header");
        }

        (int[] labels, string[] classNames) = MapLabels(rawLabels);
        if (classNames.Length < 2)
        {
            throw new DataFormatException(path, null, null,
                $"found only 1 class in label column \"{names[labelIndex]}\"; a classification suite needs at least 2",
                "check that the label column is the right one and that the file holds rows of every class");
        }

        return new NumericTable(features.ToArray(), labels, rawLabels.Count, featureCount, classNames);
    }

    private static int FindLabelColumn(string path, int headerLine, string[] names, CsvTableOptions options)
    {
        string available = names.Length == 1 ? "1 column" : $"{names.Length} columns"; // never the header's text: the file may not be a CSV at all
        if (options.LabelColumnIndex is int index)
        {
            if (index < 0 || index >= names.Length)
            {
                throw new DataFormatException(path, headerLine, null,
                    $"label column index {index} is out of range: the header has {available}",
                    $"pick a 0-based index from 0 to {names.Length - 1}, or name the label column");
            }

            return index;
        }

        int[] matches = Enumerable.Range(0, names.Length).Where(i => names[i] == options.LabelColumn).ToArray();
        if (matches.Length == 0)
        {
            throw new DataFormatException(path, headerLine, null,
                $"no label column \"{options.LabelColumn}\" in the header ({available})",
                $"name the label column \"{options.LabelColumn}\", choose another name, or pick it by 0-based index (delimiter is '{options.Delimiter}')");
        }

        if (matches.Length > 1)
        {
            throw new DataFormatException(path, headerLine, null,
                $"{matches.Length} columns are named \"{options.LabelColumn}\" (columns {string.Join(" and ", matches.Select(m => m + 1))})",
                "rename all but one, or pick the label column by 0-based index");
        }

        return matches[0];
    }

    private static (int[] Labels, string[] ClassNames) MapLabels(List<string> raw)
    {
        var integers = new long[raw.Count];
        bool allIntegers = true;
        for (int i = 0; i < raw.Count && allIntegers; i++)
        {
            allIntegers = long.TryParse(raw[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out integers[i]);
        }

        if (allIntegers)
        {
            long[] distinct = integers.Distinct().Order().ToArray();
            var index = new Dictionary<long, int>(distinct.Length);
            for (int k = 0; k < distinct.Length; k++)
            {
                index[distinct[k]] = k;
            }

            return (integers.Select(v => index[v]).ToArray(),
                distinct.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
        }

        string[] names = raw.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var byName = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int k = 0; k < names.Length; k++)
        {
            byName[names[k]] = k;
        }

        return (raw.Select(v => byName[v]).ToArray(), names);
    }
}
